using VaxCert.Verifier;

namespace VaxCert.Conformance.Running;

/// <summary>
/// Which verifier stage(s) each EU flag is compared with. One table for the runner and the verifier's own EU tests.
/// EXPECTEDPICTUREDECODE is the QR image, decoded by a separate reader (<see cref="IQrImageReader"/>).
/// </summary>
public static class FlagStages
{
    /// <summary>The QR image flag.</summary>
    public const string PictureDecode = "EXPECTEDPICTUREDECODE";

    /// <summary>EU flag → the stages that must all pass for the flag to hold.</summary>
    public static IReadOnlyDictionary<string, VerificationStage[]> Map { get; } = new Dictionary<string, VerificationStage[]>
    {
        ["EXPECTEDUNPREFIX"] = [VerificationStage.Prefix],
        ["EXPECTEDB45DECODE"] = [VerificationStage.Base45],
        ["EXPECTEDCOMPRESSION"] = [VerificationStage.Decompression],
        ["EXPECTEDDECODE"] = [VerificationStage.Cose, VerificationStage.Payload],
        ["EXPECTEDVALIDOBJECT"] = [VerificationStage.Payload],
        ["EXPECTEDVALIDJSON"] = [VerificationStage.Payload],
        ["EXPECTEDVERIFY"] = [VerificationStage.Signature],
        ["EXPECTEDKEYUSAGE"] = [VerificationStage.KeyUsage],
        ["EXPECTEDEXPIRATIONCHECK"] = [VerificationStage.Expiration],
        ["EXPECTEDSCHEMAVALIDATION"] = [VerificationStage.Schema, VerificationStage.ValueSets],
    };

    /// <summary>Flags whose "true" also means the decoded DCC equals the vector's JSON (compared semantically).</summary>
    public static IReadOnlySet<string> JsonComparing { get; } = new HashSet<string> { "EXPECTEDDECODE", "EXPECTEDVALIDJSON" };

    /// <summary>Issuer-side flags no verifier can check (README §2); reported as skipped.</summary>
    public static IReadOnlySet<string> IssuerSide { get; } = new HashSet<string> { "EXPECTEDENCODE" };
}
