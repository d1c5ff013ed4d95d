using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Testing;

/// <summary>
/// The independent EU DCC implementation (@pathcheck/dcc-sdk 0.0.27, bundled to tests/interop/peer/dist/peer.cjs) that
/// interop tests use as a second opinion on VaxCert's HC1 strings. Inputs, including private keys, travel on stdin only.
/// </summary>
public static class DccPeer
{
    private const string SetupHint = "Run scripts/test.sh (it installs the node peer and bundles it).";

    /// <summary>Where the bundled peer CLI lives.</summary>
    public static string BundlePath => Path.Combine(RepoPaths.Root, "tests", "interop", "peer", "dist", "peer.cjs");

    /// <summary>
    /// Has the peer build a CWT (iat = now unless given, hcert -260 → 1 → <paramref name="dcc"/>), sign it as COSE_Sign1
    /// with the key (ES256 for an EC P-256 certificate, PS256 for RSA; kid = SHA-256(cert DER)[0..8] in the protected
    /// header), zlib it, Base45 it and prefix "HC1:".
    /// </summary>
    /// <param name="dcc">The DCC payload object (ver, nam, dob, v/t/r).</param>
    /// <param name="privateKeyPkcs8Pem">PKCS#8 PEM ("BEGIN PRIVATE KEY") matching the certificate.</param>
    /// <param name="certificatePem">The signer certificate; the peer takes the algorithm and kid from it.</param>
    /// <param name="issuer">CWT claim 1, omitted when null.</param>
    /// <param name="issuedAt">CWT claim 6 in Unix seconds; the peer uses now when null.</param>
    /// <param name="expiresAt">CWT claim 4 in Unix seconds, omitted when null.</param>
    /// <returns>The HC1 string exactly as the peer produced it.</returns>
    public static string Sign(JsonObject dcc, string privateKeyPkcs8Pem, string certificatePem,
        string? issuer = null, long? issuedAt = null, long? expiresAt = null)
    {
        var request = new JsonObject
        {
            ["dcc"] = dcc.DeepClone(),
            ["privateKeyPem"] = privateKeyPkcs8Pem,
            ["certificatePem"] = certificatePem,
            ["iss"] = issuer,
            ["iat"] = issuedAt,
            ["exp"] = expiresAt,
        };
        var answer = Run("sign", request);
        return answer["hc1"]?.GetValue<string>()
            ?? throw new Xunit.Sdk.XunitException("The peer's sign answer has no 'hc1': " + answer.ToJsonString());
    }

    /// <summary>
    /// Has the peer verify <paramref name="hc1"/>, trusting only <paramref name="certificatePem"/> under its kid:
    /// an HC1 whose kid names another certificate comes back as <c>issuer_not_trusted</c>.
    /// </summary>
    public static DccPeerVerification Verify(string hc1, string certificatePem) =>
        ParseVerification(Run("verify", new JsonObject { ["hc1"] = hc1, ["certificatePem"] = certificatePem }));

    /// <summary>
    /// Has the peer verify <paramref name="hc1"/> against a bare SPKI public key. There is no kid binding here:
    /// the peer checks the signature with this key whatever kid the HC1 names.
    /// </summary>
    public static DccPeerVerification VerifyWithPublicKey(string hc1, string publicKeyPem) =>
        ParseVerification(Run("verify", new JsonObject { ["hc1"] = hc1, ["publicKeyPem"] = publicKeyPem }));

    private static DccPeerVerification ParseVerification(JsonObject answer)
    {
        var status = answer["status"]?.GetValue<string>()
            ?? throw new Xunit.Sdk.XunitException("The peer's verify answer has no 'status': " + answer.ToJsonString());
        var claims = answer["claims"] as JsonObject;
        return new DccPeerVerification(
            Valid: answer["valid"]?.GetValue<bool>() ?? false,
            Status: status,
            Dcc: answer["dcc"] as JsonObject,
            Issuer: claims?["iss"]?.ToString(),
            IssuedAt: claims?["iat"]?.GetValue<long>(),
            ExpiresAt: claims?["exp"]?.GetValue<long>());
    }

    private static JsonObject Run(string command, JsonObject request)
    {
        var node = ExternalTool.RequireOnPath("node", "Install Node.js 20 or later. " + SetupHint);
        var bundle = ExternalTool.RequireFile("The bundled DCC peer", SetupHint, BundlePath);
        var (exit, stdout, stderr) = ExternalTool.Run(node, [bundle, command], stdin: request.ToJsonString(),
            workingDirectory: Path.GetDirectoryName(bundle));
        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(stdout) as JsonObject;
        }
        catch (JsonException)
        {
            answer = null;
        }
        // The peer never echoes its input, so its stdout and stderr are safe to show even when a key was sent.
        if (answer is null)
            throw new Xunit.Sdk.XunitException($"The DCC peer '{command}' exited {exit} without a JSON answer. stdout: {stdout} stderr: {stderr}");
        if (exit != 0)
            throw new Xunit.Sdk.XunitException($"The DCC peer '{command}' failed (exit {exit}): {answer["error"]}. stderr: {stderr}");
        return answer;
    }
}

/// <summary>What the peer concluded about one HC1 string.</summary>
/// <param name="Valid">True only when the signature verified under the trusted certificate or key.</param>
/// <param name="Status">The SDK's status: verified, invalid_encoding, invalid_compression, invalid_signing_format,
/// kid_not_included, issuer_not_trusted or invalid_signature.</param>
/// <param name="Dcc">The decoded hcert -260 → 1 payload, also when the signature failed (null when undecodable).</param>
/// <param name="Issuer">CWT claim 1, if present.</param>
/// <param name="IssuedAt">CWT claim 6 (Unix seconds), if present.</param>
/// <param name="ExpiresAt">CWT claim 4 (Unix seconds), if present.</param>
public sealed record DccPeerVerification(bool Valid, string Status, JsonObject? Dcc, string? Issuer, long? IssuedAt, long? ExpiresAt);
