namespace VaxCert.Ledger;

/// <summary>What opening a ledger may do to a store that holds no ledger yet.</summary>
public enum LedgerOpenMode
{
    /// <summary>Create the file (SQLite) and the schema in an empty store; the server's mode.</summary>
    CreateIfMissing,

    /// <summary>
    /// Require an existing ledger and create nothing: a missing file or an empty database is a <see cref="NotALedgerException"/>.
    /// For auditors, so a mistyped path or database name never verifies as an empty, intact ledger.
    /// </summary>
    ExistingOnly,
}
