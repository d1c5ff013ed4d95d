namespace VaxCert.Ledger;

/// <summary>
/// The ledger could not do its job (database unreachable, schema newer than this build, invariant broken). Messages never
/// contain connection strings or passwords.
/// </summary>
public class LedgerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The file or database is not a VaxCert ledger: it holds other tables, is not an SQLite database at all, or is empty or
/// missing where an existing ledger was required. Nothing was created or changed in it.
/// </summary>
public sealed class NotALedgerException : LedgerException
{
    /// <summary>Creates the exception.</summary>
    public NotALedgerException(string message, Exception? inner = null) : base(message, inner) { }
}
