using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Net.Pkcs11Interop.Common;
using VaxCert.Core.Pki;
using VaxCert.Issuing.Pki;
using VaxCert.Pkcs11;
using VaxCert.Pkcs11.Provisioning;

namespace VaxCert.Bench.Scenarios;

/// <summary>A ministry document signer key on a bench SoftHSM2 token, and how the server's settings name it.</summary>
/// <param name="ModulePath">The PKCS#11 module.</param>
/// <param name="TokenLabel">Token label (unique per provisioning).</param>
/// <param name="KeyLabel">Key (and certificate) label on the token.</param>
/// <param name="PinVariable">The environment variable holding the user PIN; set in this process only.</param>
/// <param name="Certificate">The DSC certificate stored beside the key, issued by keys-dev/csca.</param>
internal sealed record ServerSignerToken(string ModulePath, string TokenLabel, string KeyLabel, string PinVariable, X509Certificate2 Certificate);

/// <summary>
/// Provisions an EC P-256 ministry document signer on a fresh token of the bench's private SoftHSM2 store: the key pair is
/// generated on the token (never exportable) and its certificate, issued by keys-dev/csca with the DCC vaccination EKU
/// like keys-dev/dsc-es256.crt.pem, is stored beside it. The PIN goes to an environment variable of this process, the way
/// the server's settings expect it (never an argument).
/// </summary>
internal static class ServerTokenSetup
{
    /// <summary>Names the PIN variable in the server settings.</summary>
    public const string PinVariable = "VAXCERT_BENCH_SERVER_PIN";

    private const string KeyLabel = "bench-server-dsc";
    private static readonly byte[] KeyId = [0x5D];

    /// <summary>Creates the token, key and certificate; <paramref name="keysDir"/> holds the keys-dev CSCA.</summary>
    public static ServerSignerToken Provision(string keysDir)
    {
        var modulePath = Pkcs11Module.ResolvePath(null);
        if (!File.Exists(modulePath))
            throw new InvalidOperationException($"SoftHSM2 module not found at {modulePath}; install softhsm2 or set {Pkcs11Module.ModulePathVariable}.");
        BenchSoftHsmStore.EnsureConfigured();
        var tokenLabel = "vaxcert-bench-server-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var userPin = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var soPin = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            using var csca = X509Certificate2.CreateFromPemFile(Path.Combine(keysDir, DevPkiLayout.CscaCertificate),
                Path.Combine(keysDir, DevPkiLayout.CscaKey));
            using var module = Pkcs11Module.Load(modulePath);
            var token = SoftHsmTokens.CreateToken(module, tokenLabel, soPin, userPin);
            using var session = module.OpenSession(token.SlotId, readWrite: true);
            session.LoginWith(CKU.CKU_USER, userPin);
            using var pair = TokenKeyGenerator.Generate(session, TokenKeyType.EcP256, KeyLabel, KeyId);
            var certificate = IssueDsc((ECDsa)pair.PublicKey, csca);
            CertificateImporter.Import(session, certificate, KeyLabel, KeyId);
            session.Logout();
            Environment.SetEnvironmentVariable(PinVariable, Encoding.ASCII.GetString(userPin));
            return new ServerSignerToken(modulePath, tokenLabel, KeyLabel, PinVariable, certificate);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(userPin);
            CryptographicOperations.ZeroMemory(soPin);
        }
    }

    /// <summary>Removes the PIN from this process's environment once the server is gone.</summary>
    public static void ForgetPin() => Environment.SetEnvironmentVariable(PinVariable, null);

    // The keys-dev DSC profile, issued by the CSCA for the public key that lives on the token.
    private static X509Certificate2 IssueDsc(ECDsa tokenPublicKey, X509Certificate2 csca)
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = new DateTimeOffset(csca.NotAfter) < notBefore.AddYears(1) ? new DateTimeOffset(csca.NotAfter) : notBefore.AddYears(1);
        return CertificateFactory.IssueForPublicKey(csca,
            new X500DistinguishedName("CN=VaxCert BENCH DSC ES256 SoftHSM2, O=Ministry of Health of Viet Nam (DEV ONLY), C=VN"),
            tokenPublicKey, notBefore, notAfter, CertificateFactory.EkuVaccination);
    }
}

/// <summary>
/// The bench's private SoftHSM2 store. SoftHSM reads SOFTHSM2_CONF when the module initialises, so the whole process
/// shares one store: if a bench scenario (Pkcs11Scenarios' token) already pointed the process at a bench store, that one is
/// reused and a new token goes into its free slot; otherwise a store is created the same way. Never the system store.
/// </summary>
internal static class BenchSoftHsmStore
{
    /// <summary>Folder name prefix of bench stores under the temp folder (Pkcs11Scenarios uses the same).</summary>
    public const string FolderPrefix = "vaxcert-bench-softhsm-";

    /// <summary>Makes sure this process's SOFTHSM2_CONF names a bench store.</summary>
    public static void EnsureConfigured()
    {
        var current = Environment.GetEnvironmentVariable(SoftHsmTokens.ConfigVariable);
        if (current is not null && File.Exists(current)
            && Path.GetFileName(Path.GetDirectoryName(current))?.StartsWith(FolderPrefix, StringComparison.Ordinal) == true)
            return;
        var directory = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N"));
        SoftHsmTokens.UseConfig(SoftHsmTokens.WriteConfig(directory));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(directory, true); } catch (IOException) { } };
    }
}
