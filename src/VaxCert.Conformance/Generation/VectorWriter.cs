using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VaxCert.Conformance.Running;
using VaxCert.Conformance.Vectors;
using VaxCert.Issuing.Qr;
using VaxCert.Verifier;

namespace VaxCert.Conformance.Generation;

/// <summary>Turns a <see cref="GeneratedVector"/> into the dgc-testdata JSON shape with VaxCert's extensions.</summary>
internal static class VectorWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject ToJson(GeneratedVector v)
    {
        var o = new JsonObject();
        if (v.Dcc is not null) o[VectorKeys.Json] = v.Dcc.DeepClone();
        if (v.DccCbor is not null) o[VectorKeys.Cbor] = Convert.ToHexString(v.DccCbor);
        if (v.Cose is not null) o[VectorKeys.Cose] = Convert.ToHexString(v.Cose);
        if (v.Compressed is not null) o[VectorKeys.Compressed] = Convert.ToHexString(v.Compressed);
        if (v.Prefix.StartsWith("HC1:", StringComparison.Ordinal)) o[VectorKeys.Base45] = v.Prefix[4..];
        o[VectorKeys.Prefix] = v.Prefix;
        if (v.WithImage) o[VectorKeys.TwoDCode] = Convert.ToBase64String(QrRenderer.RenderPng(v.Prefix).Content);
        var context = new JsonObject
        {
            [VectorKeys.Version] = 1,
            [VectorKeys.Schema] = "1.3.3",
            [VectorKeys.Certificate] = Convert.ToBase64String(v.DscDer),
            [VectorKeys.ValidationClock] = v.ValidationClock.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            [VectorKeys.Description] = v.Description,
        };
        foreach (var (key, value) in v.Extensions) context[key] = value?.DeepClone();
        o[VectorKeys.TestContext] = context;
        o[VectorKeys.ExpectedResults] = Flags(v);
        o[VectorKeys.ExpectedReason] = new JsonObject
        {
            [VectorKeys.ReasonCodeField] = (int)v.ExpectedReason,
            [VectorKeys.ReasonNameField] = v.ExpectedReason.ToString(),
        };
        return o;
    }

    public static string ToText(JsonObject vector) => vector.ToJsonString(Indented) + "\n";

    /// <summary>
    /// EU flags from where the vector fails: true for every flag whose stages all run before the failing stage, false for
    /// the flag(s) of the failing stage, absent after it (those stages are not what the vector is about).
    /// </summary>
    private static JsonObject Flags(GeneratedVector v)
    {
        var failing = v.FailingStage ?? (VerificationStage)int.MaxValue;
        var flags = new JsonObject();
        if (v.WithImage) flags[FlagStages.PictureDecode] = true;
        foreach (var (flag, stages) in FlagStages.Map)
        {
            if (stages.Contains(failing)) flags[flag] = false;
            else if (stages.All(s => s < failing)) flags[flag] = true;
        }
        return flags;
    }
}
