using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11;
using VaxCert.Pkcs11.Signing;
using VaxCert.Server.Configuration;

namespace VaxCert.Server.Hosting;

/// <summary>Opens the document signer the settings name: token key, DSC PEM files, or (only with --dev) the dev DSC of the keys folder.</summary>
public static class SignerFactory
{
    /// <summary>Opens the signer. The PIN is read from the named environment variable, never from settings or arguments.</summary>
    /// <exception cref="ArgumentException">Inconsistent settings.</exception>
    public static ICoseSigner Open(ServerSettings settings)
    {
        var s = settings.Signer;
        if (!string.IsNullOrEmpty(s.Token) || !string.IsNullOrEmpty(s.Key))
        {
            if (string.IsNullOrEmpty(s.Token) || string.IsNullOrEmpty(s.Key))
                throw new ArgumentException("a token signer needs both --token and --key");
            if (string.IsNullOrEmpty(s.PinEnv))
                throw new ArgumentException("a token signer needs --pin-env naming the environment variable that holds the PIN");
            return Pkcs11CoseSigner.Open(new Pkcs11SignerOptions
            {
                ModulePath = string.IsNullOrEmpty(s.Pkcs11Module) ? null : s.Pkcs11Module,
                Token = new TokenSelector(s.Token),
                Key = new KeySelector(s.Key),
                Pin = PinSource.FromEnvironment(s.PinEnv),
                PoolSize = Math.Max(1, s.PoolSize),
            });
        }
        if (!string.IsNullOrEmpty(s.DscCert) || !string.IsNullOrEmpty(s.DscKey))
        {
            if (string.IsNullOrEmpty(s.DscCert) || string.IsNullOrEmpty(s.DscKey))
                throw new ArgumentException("--dsc-cert and --dsc-key go together");
            return SoftwareCoseSigner.FromPemFiles(s.DscCert, s.DscKey);
        }
        if (!settings.Dev)
            throw new ArgumentException("no signer configured: give --dsc-cert/--dsc-key or --pkcs11-module/--token/--key/--pin-env, " +
                                        $"or --dev to sign with the public development DSC of {settings.KeysDir} (tests and demos only)");
        return SoftwareCoseSigner.FromPemFiles(Path.Combine(settings.KeysDir, DevPkiLayout.DscEs256Certificate),
            Path.Combine(settings.KeysDir, DevPkiLayout.DscEs256Key));
    }

    /// <summary>True when the settings leave the signer to the development default (the dev DSC of KeysDir).</summary>
    public static bool UsesDevelopmentKey(ServerSettings settings) =>
        string.IsNullOrEmpty(settings.Signer.Token) && string.IsNullOrEmpty(settings.Signer.Key)
        && string.IsNullOrEmpty(settings.Signer.DscCert) && string.IsNullOrEmpty(settings.Signer.DscKey);

    /// <summary>A description for logs: which kind of key, never a PIN or key material.</summary>
    public static string Describe(ServerSettings settings) =>
        !string.IsNullOrEmpty(settings.Signer.Token) ? $"PKCS#11 token '{settings.Signer.Token}' key '{settings.Signer.Key}'"
        : !string.IsNullOrEmpty(settings.Signer.DscCert) ? $"software key {settings.Signer.DscCert}"
        : $"development DSC from {settings.KeysDir} (--dev, NOT FOR PRODUCTION)";
}
