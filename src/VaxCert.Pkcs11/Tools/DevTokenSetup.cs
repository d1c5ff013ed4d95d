using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VaxCert.Pkcs11.Provisioning;

namespace VaxCert.Pkcs11.Tools;

/// <summary>Options of <c>vaxcert token init-dev</c>.</summary>
public sealed record DevTokenOptions
{
    /// <summary>SoftHSM2 module path.</summary>
    public required string ModulePath { get; init; }
    /// <summary>Folder for a new private SoftHSM2 store, used when SOFTHSM2_CONF is not set.</summary>
    public required string StoreDirectory { get; init; }
    /// <summary>Token label.</summary>
    public string TokenLabel { get; init; } = "vaxcert-dev";
    /// <summary>Key and certificate label.</summary>
    public string KeyLabel { get; init; } = "facility-signing";
    /// <summary>CKA_ID shared by key and certificate.</summary>
    public byte[] KeyId { get; init; } = [0x01];
    /// <summary>EC P-256 or RSA-2048.</summary>
    public TokenKeyType KeyType { get; init; } = TokenKeyType.EcP256;
    /// <summary>Certificate subject.</summary>
    public string Subject { get; init; } = "CN=VaxCert dev facility token, O=VaxCert dev, C=VN";
    /// <summary>CA certificate PEM (with <see cref="IssuerKeyPath"/>), or null for a throwaway CA.</summary>
    public string? IssuerCertificatePath { get; init; }
    /// <summary>CA private key PEM.</summary>
    public string? IssuerKeyPath { get; init; }
    /// <summary>User PIN bytes chosen by the operator, or null to generate one into a 0600 file.</summary>
    public byte[]? UserPin { get; init; }
}

/// <summary>What init-dev made. PINs are in files, never in this record.</summary>
public sealed record DevTokenResult(string SoftHsmConfig, bool NewStore, TokenInfo Token, ProvisionedKey Key,
    string? UserPinFile, string SoPinFile, string Issuer);

/// <summary>Creates a SoftHSM2 dev token holding a fresh sign-only key pair and a certificate for it.</summary>
public static class DevTokenSetup
{
    /// <summary>Creates the token. Sets SOFTHSM2_CONF for this process when it makes a new store (before loading the module).</summary>
    public static DevTokenResult Create(DevTokenOptions options)
    {
        var config = Environment.GetEnvironmentVariable(SoftHsmTokens.ConfigVariable);
        var newStore = string.IsNullOrEmpty(config);
        if (newStore)
        {
            Directory.CreateDirectory(options.StoreDirectory);
            config = SoftHsmTokens.WriteConfig(Path.GetFullPath(options.StoreDirectory));
            SoftHsmTokens.UseConfig(config);
        }
        var pinDirectory = Path.GetDirectoryName(Path.GetFullPath(config!))!;
        using var issuer = LoadIssuer(options);
        using var module = Pkcs11Module.Load(options.ModulePath);
        if (module.GetTokens().Any(t => t.IsInitialized && t.Label == options.TokenLabel))
            throw new InvalidOperationException($"A token labelled '{options.TokenLabel}' already exists in {config}; choose another --token label.");
        var soPin = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var userPin = options.UserPin ?? Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            var soPinFile = WriteSecret(pinDirectory, $"{options.TokenLabel}.so-pin", soPin);
            var userPinFile = options.UserPin is null ? WriteSecret(pinDirectory, $"{options.TokenLabel}.user-pin", userPin) : null;
            var token = SoftHsmTokens.CreateToken(module, options.TokenLabel, soPin, userPin);
            var key = DevKeyProvisioner.Provision(module, token, userPin, options.KeyType, options.KeyLabel, options.KeyId, options.Subject, issuer);
            return new DevTokenResult(config!, newStore, token, key, userPinFile, soPinFile,
                issuer is null ? "throwaway self-signed CA (discarded; the certificate chains to nothing)" : issuer.Subject);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(soPin);
            if (options.UserPin is null) CryptographicOperations.ZeroMemory(userPin);
        }
    }

    private static X509Certificate2? LoadIssuer(DevTokenOptions options)
    {
        if (options.IssuerCertificatePath is null || options.IssuerKeyPath is null)
            return null;
        return X509Certificate2.CreateFromPemFile(options.IssuerCertificatePath, options.IssuerKeyPath);
    }

    private static string WriteSecret(string directory, string name, byte[] secret)
    {
        var path = Path.Combine(directory, name);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // owner-only, like an ssh key
        using (var stream = new FileStream(path, fileOptions))
        {
            stream.Write(secret);
            stream.WriteByte((byte)'\n');
        }
        return path;
    }
}
