using System.Security.Cryptography;
using System.Text;
using VaxCert.Pkcs11;
using VaxCert.Pkcs11.Provisioning;
using VaxCert.Pkcs11.Signing;

namespace VaxCert.Testing;

/// <summary>
/// A real SoftHSM2 token for one test class (use as <c>IClassFixture&lt;SoftHsm&gt;</c>). SoftHSM reads SOFTHSM2_CONF once,
/// when the module is first initialised in the process, so every test process gets ONE private token directory (a temp
/// folder, never the system store) and each fixture instance adds its own uniquely labelled token to it. Nothing else in a
/// test process may load libsofthsm2 with another configuration first. Fails (never skips) when SoftHSM2 is missing.
/// </summary>
public sealed class SoftHsm : IDisposable
{
    private static readonly object Gate = new();
    private static string? _processConfig;

    /// <summary>Creates a private token (random label, SO PIN and user PIN) in the process-wide SoftHSM2 store.</summary>
    public SoftHsm()
    {
        ModulePath = ExternalTool.RequireFile("SoftHSM2 (libsofthsm2.so)", "Install softhsm2 (scripts/test.sh does: apt-get install softhsm2).",
            Environment.GetEnvironmentVariable(Pkcs11Module.ModulePathVariable) is { Length: > 0 } env ? env : Pkcs11Module.DefaultModulePath,
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so");
        lock (Gate)
        {
            EnsureProcessConfig();
            Module = Pkcs11Module.Load(ModulePath);
            TokenLabel = "vaxcert-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            Token = SoftHsmTokens.CreateToken(Module, TokenLabel, Encoding.UTF8.GetBytes(SoPin), Encoding.UTF8.GetBytes(UserPin));
            // Guard against writing into the system token store if SOFTHSM2_CONF did not reach the module.
            var tokenDir = Path.Combine(Path.GetDirectoryName(_processConfig)!, "tokens");
            if (!Directory.EnumerateDirectories(tokenDir).Any())
                throw new Xunit.Sdk.XunitException($"SoftHSM created token '{TokenLabel}' outside {tokenDir}: libsofthsm2 was loaded with another SOFTHSM2_CONF.");
        }
    }

    /// <summary>The SoftHSM2 module file.</summary>
    public string ModulePath { get; }

    /// <summary>The token label unique to this fixture.</summary>
    public string TokenLabel { get; }

    /// <summary>The token as created.</summary>
    public TokenInfo Token { get; }

    /// <summary>Throwaway user PIN of this token (test data, not a secret).</summary>
    public string UserPin { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Throwaway SO PIN of this token.</summary>
    public string SoPin { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The loaded module (shared with every other user of the same path in the process).</summary>
    public Pkcs11Module Module { get; }

    /// <summary>The process-wide SOFTHSM2_CONF this fixture set.</summary>
    public static string? ProcessConfig => _processConfig;

    /// <summary>The user PIN as a <see cref="PinSource"/>.</summary>
    public PinSource Pin => PinSource.FromBytes(Encoding.UTF8.GetBytes(UserPin));

    /// <summary>Generates an EC P-256 key pair on the token and stores a certificate for it (throwaway CA unless given).</summary>
    public ProvisionedKey ProvisionEc(string label, byte id, System.Security.Cryptography.X509Certificates.X509Certificate2? issuer = null)
        => Provision(TokenKeyType.EcP256, label, id, issuer);

    /// <summary>Generates an RSA-2048 key pair on the token and stores a certificate for it.</summary>
    public ProvisionedKey ProvisionRsa(string label, byte id, System.Security.Cryptography.X509Certificates.X509Certificate2? issuer = null)
        => Provision(TokenKeyType.Rsa2048, label, id, issuer);

    /// <summary>Signer options for a key on this token.</summary>
    public Pkcs11SignerOptions SignerOptions(string keyLabel, int poolSize = 2) => new()
    {
        ModulePath = ModulePath,
        Token = new TokenSelector(TokenLabel),
        Key = new KeySelector(keyLabel),
        Pin = Pin,
        PoolSize = poolSize,
        RecoveryDelay = TimeSpan.FromMilliseconds(20),
    };

    private ProvisionedKey Provision(TokenKeyType type, string label, byte id,
        System.Security.Cryptography.X509Certificates.X509Certificate2? issuer)
    {
        var pin = Encoding.UTF8.GetBytes(UserPin);
        try
        {
            var token = Module.FindToken(new TokenSelector(TokenLabel));
            return DevKeyProvisioner.Provision(Module, token, pin, type, label, [id], $"CN={label}, O=VaxCert tests, C=VN", issuer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    private static void EnsureProcessConfig()
    {
        if (_processConfig is not null)
            return;
        var dir = RepoPaths.NewTempDir("softhsm");
        _processConfig = SoftHsmTokens.WriteConfig(dir);
        // Must precede the first C_Initialize of libsofthsm2 in this process; SoftHSM never re-reads it.
        SoftHsmTokens.UseConfig(_processConfig);
    }

    public void Dispose() => Module.Dispose();
}
