namespace VaxCert.Ledger.Sql;

/// <summary>
/// The tables, shared by both engines with engine-specific column types (docs/ledger.md, "Schema"). Times are stored with
/// microsecond precision; hashes and key ids as raw bytes. No personal identifiers are ever stored.
/// </summary>
internal static class LedgerSchema
{
    /// <summary>Version 1 tables and indexes.</summary>
    /// <param name="seq">Type of the audit sequence (the rowid alias on SQLite).</param>
    /// <param name="bytes">Binary column type.</param>
    /// <param name="time">Time column type.</param>
    /// <param name="zeroHash">Literal of 32 zero bytes (the genesis prev_hash).</param>
    public static IEnumerable<string> Tables(string seq, string bytes, string time, string zeroHash) =>
    [
        $"""
        CREATE TABLE certificates (
            uvci                 TEXT NOT NULL PRIMARY KEY,
            facility_code        TEXT NOT NULL,
            facility_record_id   TEXT NOT NULL,
            record_hash          {bytes} NOT NULL,
            facility_attestation {bytes} NOT NULL,
            signer_kid           {bytes} NOT NULL,
            issued_at            {time} NOT NULL,
            expires_at           {time} NOT NULL,
            hc1                  TEXT NOT NULL,
            status               TEXT NOT NULL CHECK (status IN ('issued', 'revoked')),
            revoked_at           {time} NULL,
            revocation_reason    TEXT NULL,
            CONSTRAINT certificates_facility_record UNIQUE (facility_code, facility_record_id)
        )
        """,
        "CREATE INDEX certificates_revoked_at ON certificates (revoked_at, uvci) WHERE status = 'revoked'",
        $"""
        CREATE TABLE audit_log (
            seq        {seq} NOT NULL PRIMARY KEY,
            time       {time} NOT NULL,
            event      TEXT NOT NULL,
            subject    TEXT NOT NULL,
            facility   TEXT NOT NULL,
            details    TEXT NOT NULL,
            prev_hash  {bytes} NOT NULL,
            entry_hash {bytes} NOT NULL
        )
        """,
        "CREATE INDEX audit_log_subject ON audit_log (subject)",
        // One row: the chain's end and the counters, updated in the same transaction as every append. Its row lock is what
        // serializes appends from several instances into one chain.
        $"""
        CREATE TABLE ledger_head (
            id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            last_seq     BIGINT NOT NULL,
            last_hash    {bytes} NOT NULL,
            certificates BIGINT NOT NULL,
            revoked      BIGINT NOT NULL
        )
        """,
        $"INSERT INTO ledger_head (id, last_seq, last_hash, certificates, revoked) VALUES (1, 0, {zeroHash}, 0, 0)",
    ];

    /// <summary>
    /// Version 2: the Merkle audit log over the same entries (docs/ledger.md, "Merkle audit log"). <c>merkle_nodes</c>
    /// holds every complete subtree of 16 leaves and up (smaller ones are recomputed from audit_log.entry_hash), written
    /// in the transaction that appends the entries; <c>tree_heads</c> holds the signed tree heads; the head row records
    /// how many entries the stored nodes cover (0 for a ledger created before v2, caught up on open).
    /// </summary>
    /// <param name="bytes">Binary column type.</param>
    /// <param name="tableOptions">Suffix after the closing parenthesis (SQLite: WITHOUT ROWID).</param>
    public static IEnumerable<string> MerkleTables(string bytes, string tableOptions) =>
    [
        $"""
        CREATE TABLE merkle_nodes (
            level INTEGER NOT NULL,
            idx   BIGINT NOT NULL,
            hash  {bytes} NOT NULL,
            PRIMARY KEY (level, idx)
        ){tableOptions}
        """,
        $"""
        CREATE TABLE tree_heads (
            tree_size    BIGINT NOT NULL PRIMARY KEY,
            timestamp_ms BIGINT NOT NULL,
            root_hash    {bytes} NOT NULL,
            key_id       {bytes} NOT NULL,
            signature    {bytes} NOT NULL
        ){tableOptions}
        """,
        "ALTER TABLE ledger_head ADD COLUMN merkle_size BIGINT NOT NULL DEFAULT 0",
    ];

    /// <summary>
    /// Version 3: re-issue (docs/ledger.md, "Re-issue"). Each certificate has a generation (1 for those issued from a
    /// facility's record) and the UVCI it re-issues, if any; the unique index keeps at most one re-issue of a certificate,
    /// which makes (old certificate, generation) the idempotency key across every instance. Existing rows become generation
    /// 1. The old certificate is never updated: its successor is found through the index.
    /// </summary>
    public static IEnumerable<string> Reissue() =>
    [
        "ALTER TABLE certificates ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1)",
        "ALTER TABLE certificates ADD COLUMN reissue_of TEXT NULL",
        "CREATE UNIQUE INDEX certificates_reissue_of ON certificates (reissue_of) WHERE reissue_of IS NOT NULL",
    ];
}
