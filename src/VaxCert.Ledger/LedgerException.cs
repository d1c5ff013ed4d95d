namespace VaxCert.Ledger;

/// <summary>
/// The ledger could not do its job (database unreachable, schema newer than this build, invariant broken). Messages never
/// contain connection strings or passwords.
/// </summary>
public sealed class LedgerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerException(string message, Exception? inner = null) : base(message, inner) { }
}
