using System.Security.Cryptography.X509Certificates;
using VaxCert.Conformance.Vectors;
using VaxCert.Core.Decoding;
using VaxCert.Verifier;
using VaxCert.Verifier.Trust;

namespace VaxCert.Conformance.Running;

/// <summary>
/// Runs one vector through the verifier and compares every expectation it states (each EXPECTED* flag, and EXPECTEDREASON
/// when present) with the matching stage result. Never throws for a bad vector: it becomes a failed row.
/// </summary>
public sealed class VectorRunner(KnownIssues knownIssues, IQrImageReader? qrReader)
{
    /// <summary>The flag name of a row about the vector file as a whole.</summary>
    public const string WholeVector = "(vector)";

    /// <summary>The known-issues treatment under which only the JSON comparison is suspended, the stage must still pass.</summary>
    public const string PayloadDecodesOnly = "payload-decodes-only";

    /// <summary>One row per expectation of <paramref name="file"/>.</summary>
    public IReadOnlyList<FlagResult> Run(VectorFile file)
    {
        if (file.Vector is not { } vector)
            return [new FlagResult(file.Folder, file.RelativePath, WholeVector, "readable", FlagStatus.Failed, file.Problem ?? "unreadable")];
        try
        {
            var verifier = VectorVerifierFactory.Create(vector, out var problem);
            if (verifier is null)
                return [new FlagResult(file.Folder, file.RelativePath, WholeVector, "runnable", FlagStatus.Failed, problem!)];
            var result = verifier.Verify(vector.Text(VectorKeys.Prefix));
            var rows = vector.Flags.Select(f => CheckFlag(vector, f.Flag, f.Expected, result)).ToList();
            if (vector.ExpectedReasonCode is { } code) rows.Add(CheckReason(vector, code, result));
            return rows;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A vector must never stop the run; the verifier itself never throws, so this is a malformed vector field.
            return [new FlagResult(file.Folder, file.RelativePath, WholeVector, "runnable", FlagStatus.Failed, $"{e.GetType().Name}: {e.Message}")];
        }
    }

    private FlagResult CheckFlag(ConformanceVector vector, string flag, bool expected, VerificationResult result)
    {
        FlagResult Row(FlagStatus status, string detail) =>
            new(vector.Folder, vector.RelativePath, flag, expected ? "true" : "false", status, detail);

        if (flag == FlagStages.PictureDecode) return CheckPicture(vector, expected, Row);
        if (FlagStages.IssuerSide.Contains(flag)) return Row(FlagStatus.Skipped, "issuer-side flag: no verifier can check it");
        if (!FlagStages.Map.TryGetValue(flag, out var stages)) return Row(FlagStatus.Skipped, "flag unknown to this runner");

        var stageText = string.Join(", ", stages.Select(s => Describe(result[s])));
        var passed = stages.All(s => result[s].Passed);
        if (flag == "EXPECTEDKEYUSAGE" && !result[VerificationStage.Signature].Passed)
        {
            // No verified signer, so the stage cannot run (PL */6: TESTCTX holds another DSC than the signer). The flag is
            // about TESTCTX's DSC: apply the verifier's key-usage rule to it directly.
            passed = KeyUsageOfContextDsc(vector, result);
            stageText += "; rule applied to TESTCTX's DSC: " + (passed ? "allows" : "does not allow") + " the DCC type";
        }
        if (knownIssues.Find(vector.RelativePath, flag) is { } issue)
        {
            if (issue.Treatment == PayloadDecodesOnly && expected && !passed)
                return Row(FlagStatus.Failed, $"known issue suspends only the JSON comparison, but the stage failed: {stageText}");
            return Row(FlagStatus.KnownIssue, $"{issue.Treatment}: {issue.Reason}");
        }
        if (expected && passed && FlagStages.JsonComparing.Contains(flag))
        {
            passed = DccComparison.SemanticallyEqual(result.Certificate?.GetDcc(), vector.Dcc);
            if (!passed) stageText += "; decoded DCC differs from JSON";
        }
        if (passed != expected) return Row(FlagStatus.Failed, $"{stageText}; overall {result}");
        if (!expected && result.IsValid) return Row(FlagStatus.Failed, $"flag false but the verifier answered Valid");
        return Row(FlagStatus.Passed, stageText);
    }

    private FlagResult CheckPicture(ConformanceVector vector, bool expected, Func<FlagStatus, string, FlagResult> row)
    {
        if (vector.Text(VectorKeys.TwoDCode) is not { Length: > 0 } image) return row(FlagStatus.Skipped, "vector has no 2DCODE image");
        if (qrReader is null) return row(FlagStatus.Skipped, "no QR image reader (install zbar-tools for zbarimg)");
        byte[] png;
        try { png = Convert.FromBase64String(image); }
        catch (FormatException) { return row(expected ? FlagStatus.Failed : FlagStatus.Passed, "2DCODE is not base64"); }
        var text = qrReader.Read(png);
        var passed = text is not null && text == vector.Text(VectorKeys.Prefix);
        var detail = text is null ? "no QR code read from the image" : passed ? "image reads as PREFIX" : "image reads as another text than PREFIX";
        return row(passed == expected ? FlagStatus.Passed : FlagStatus.Failed, detail);
    }

    private static FlagResult CheckReason(ConformanceVector vector, int code, VerificationResult result)
    {
        var expectedText = $"{code} {(Enum.IsDefined(typeof(ReasonCode), code) ? ((ReasonCode)code).ToString() : "?")}";
        var actual = $"{(int)result.Reason} {result.Reason} ({result.Outcome})";
        return new FlagResult(vector.Folder, vector.RelativePath, VectorKeys.ReasonFlag, expectedText,
            (int)result.Reason == code ? FlagStatus.Passed : FlagStatus.Failed, actual);
    }

    private static string Describe(StageResult stage) => stage.Status switch
    {
        StageStatus.Failed => $"{stage.Stage} failed ({(int)stage.Reason} {stage.Reason})",
        StageStatus.Passed => $"{stage.Stage} passed",
        _ => $"{stage.Stage} not run",
    };

    private static bool KeyUsageOfContextDsc(ConformanceVector vector, VerificationResult result)
    {
        if (vector.ContextText(VectorKeys.Certificate) is not { } der) return false;
        using var dsc = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der));
        var type = result.Certificate?.Type ?? DccTypes.None;
        return KeyUsageReader.TryRead(dsc, out var allowed) && type != DccTypes.None && (allowed & type) != 0;
    }
}
