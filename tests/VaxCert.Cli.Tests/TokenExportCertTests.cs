using System.Security.Cryptography.X509Certificates;
using VaxCert.Testing;

namespace VaxCert.Cli.Tests;

/// <summary>
/// <c>vaxcert token export-cert</c> (issue 14) run as a child process against this test process's private SoftHSM2 store:
/// the child gets SOFTHSM2_CONF in its environment before it starts, which is all SoftHSM needs.
/// </summary>
public sealed class TokenExportCertTests(SoftHsm hsm) : IClassFixture<SoftHsm>
{
    [Fact]
    public void Exported_pem_is_the_certificate_stored_beside_the_token_key()
    {
        var key = hsm.ProvisionEc("cli-export", 0x71);
        var outFile = Path.Combine(RepoPaths.NewTempDir("export-cert"), "facility.crt.pem");

        var (exit, stdout, stderr) = RunCli("token", "export-cert", "--module", hsm.ModulePath, "--token", hsm.TokenLabel,
            "--key", "cli-export", "--out", outFile);

        Assert.True(exit == 0, stdout + stderr);
        using var exported = X509Certificate2.CreateFromPem(File.ReadAllText(outFile));
        Assert.Equal(key.Certificate.RawData, exported.RawData);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(exported.RawData)), stdout);
    }

    [Fact]
    public void Without_out_the_pem_goes_to_standard_output_selected_by_id()
    {
        var key = hsm.ProvisionRsa("cli-export-rsa", 0x72);
        var (exit, stdout, stderr) = RunCli("token", "export-cert", "--module", hsm.ModulePath, "--token", hsm.TokenLabel, "--id", "72");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(key.Certificate.RawData, X509Certificate2.CreateFromPem(stdout).RawData);
    }

    [Fact]
    public void Unknown_key_exits_2_with_a_typed_message()
    {
        var (exit, stdout, stderr) = RunCli("token", "export-cert", "--module", hsm.ModulePath, "--token", hsm.TokenLabel, "--key", "no-such-key");
        Assert.Equal(2, exit);
        Assert.Contains("Expected one certificate or key with label 'no-such-key', found 0", stdout + stderr);
    }

    private (int Exit, string StdOut, string StdErr) RunCli(params string[] args)
    {
        var exe = ExternalTool.RequireFile("the vaxcert CLI build output", "Build tests/VaxCert.Cli.Tests (it copies the CLI).",
            Path.Combine(AppContext.BaseDirectory, "vaxcert"));
        Assert.NotNull(SoftHsm.ProcessConfig);
        return ExternalTool.Run(exe, args, env: new Dictionary<string, string> { ["SOFTHSM2_CONF"] = SoftHsm.ProcessConfig!, ["NO_COLOR"] = "1" });
    }
}
