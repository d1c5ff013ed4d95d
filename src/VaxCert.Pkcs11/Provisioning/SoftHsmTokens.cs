using Net.Pkcs11Interop.Common;

namespace VaxCert.Pkcs11.Provisioning;

/// <summary>
/// Private SoftHSM2 token stores for development, tests and the bench. SoftHSM reads SOFTHSM2_CONF when the module is
/// initialised, so the variable must be set before the first <see cref="Pkcs11Module.Load"/> in the process, and there is
/// effectively one token directory per process. Callers that need isolation use a distinct token label instead.
/// </summary>
public static class SoftHsmTokens
{
    /// <summary>The environment variable SoftHSM2 reads its configuration path from.</summary>
    public const string ConfigVariable = "SOFTHSM2_CONF";

    /// <summary>Writes a softhsm2.conf whose token directory lies under <paramref name="directory"/>; returns its path.</summary>
    public static string WriteConfig(string directory)
    {
        var tokens = Path.Combine(directory, "tokens");
        Directory.CreateDirectory(tokens);
        var conf = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        return conf;
    }

    /// <summary>
    /// Points SoftHSM at <paramref name="configPath"/> for this process, in the native environment SoftHSM's getenv reads
    /// (the managed Environment.SetEnvironmentVariable alone does not reach it on Linux). Call before the first module load.
    /// </summary>
    public static void UseConfig(string configPath) => NativeEnvironment.Set(ConfigVariable, configPath);

    /// <summary>
    /// Initialises the free slot's token with <paramref name="label"/>, an SO PIN and a user PIN (C_InitToken, C_Login as SO,
    /// C_InitPIN) and returns it. PINs are bytes the caller owns and zeroes.
    /// </summary>
    public static TokenInfo CreateToken(Pkcs11Module module, string label, byte[] soPin, byte[] userPin)
    {
        var free = module.GetTokens().FirstOrDefault(t => !t.IsInitialized)
            ?? throw new InvalidOperationException($"{module.Path} offers no uninitialised slot for a new token.");
        module.InitializeToken(free.SlotId, soPin, label);
        // SoftHSM may move the new token to another slot id; find it again by label.
        var token = module.FindToken(new TokenSelector(label));
        using var session = module.OpenSession(token.SlotId, readWrite: true);
        session.LoginWith(CKU.CKU_SO, soPin);
        try
        {
            session.InitPin(userPin);
        }
        finally
        {
            session.Logout();
        }
        return module.GetTokenInfo(token.SlotId);
    }
}
