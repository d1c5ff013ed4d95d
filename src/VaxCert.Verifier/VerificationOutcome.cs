namespace VaxCert.Verifier;

/// <summary>The verdict on one certificate.</summary>
public enum VerificationOutcome
{
    /// <summary>Every enabled check ran and passed.</summary>
    Valid,
    /// <summary>A check failed: the certificate must be refused.</summary>
    Invalid,
    /// <summary>No decision could be made (stale trust list, internal error): neither accept nor call it forged.</summary>
    Indeterminate,
}

/// <summary>The stages of verification, in the order they run. The EU test-vector flags map onto them.</summary>
public enum VerificationStage
{
    /// <summary>Input length cap.</summary>
    Input,
    /// <summary>"HC1:" context prefix (EXPECTEDUNPREFIX).</summary>
    Prefix,
    /// <summary>Base45 decoding (EXPECTEDB45DECODE).</summary>
    Base45,
    /// <summary>zlib inflation with the size cap (EXPECTEDCOMPRESSION).</summary>
    Decompression,
    /// <summary>COSE_Sign1 structure and headers.</summary>
    Cose,
    /// <summary>CWT claims and the DCC payload (EXPECTEDDECODE, EXPECTEDVALIDOBJECT).</summary>
    Payload,
    /// <summary>alg, kid, trust-list lookup and signature (EXPECTEDVERIFY).</summary>
    Signature,
    /// <summary>The signer's EKU against the DCC type (EXPECTEDKEYUSAGE).</summary>
    KeyUsage,
    /// <summary>Signer certificate valid at iat, and its CSCA chain when anchors are configured.</summary>
    SignerValidity,
    /// <summary>iat ≤ now + skew and now − skew ≤ exp (EXPECTEDEXPIRATIONCHECK).</summary>
    Expiration,
    /// <summary>JSON schema of the DCC's ver plus exactly one of v/t/r (EXPECTEDSCHEMAVALIDATION, with ValueSets).</summary>
    Schema,
    /// <summary>Coded fields against the EU value sets.</summary>
    ValueSets,
    /// <summary>VaxCert issuance policy (optional).</summary>
    Policy,
    /// <summary>Revocation hash lists (optional).</summary>
    Revocation,
    /// <summary>Pluggable additional checks such as the facility co-signature (optional).</summary>
    Additional,
    /// <summary>Trust-list freshness (MaxTrustListAge).</summary>
    TrustList,
    /// <summary>
    /// Always run: the dates are real calendar dates and the dose numbers whole numbers, and for a vaccination the
    /// 11-field record could be read (a Valid vaccination always carries it). Appended last to keep the numbers of the
    /// stages above; reported right after Schema.
    /// </summary>
    Content,
}

/// <summary>Whether a stage ran and how it ended.</summary>
public enum StageStatus
{
    /// <summary>Not run: switched off, not configured, or an earlier stage it depends on failed.</summary>
    NotRun,
    /// <summary>Ran and passed.</summary>
    Passed,
    /// <summary>Ran and failed with <see cref="StageResult.Reason"/>.</summary>
    Failed,
}

/// <summary>The result of one stage.</summary>
/// <param name="Stage">Which stage.</param>
/// <param name="Status">Not run, passed or failed.</param>
/// <param name="Reason">Why it failed (None unless failed).</param>
public readonly record struct StageResult(VerificationStage Stage, StageStatus Status, ReasonCode Reason)
{
    /// <summary>True when the stage ran and passed.</summary>
    public bool Passed => Status == StageStatus.Passed;

    /// <summary>True when the stage ran and failed.</summary>
    public bool Failed => Status == StageStatus.Failed;
}
