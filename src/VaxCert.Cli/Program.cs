using System.CommandLine;
using VaxCert.Cli;

// Thin shell: each feature contributes its commands through one ICliModule; all logic lives in the libraries.
var root = new RootCommand("VaxCert: Viet Nam vaccination certificates as EU-DCC compatible HC1 QR codes.");
foreach (var module in CliModules.All)
    module.Register(root);
return await root.Parse(args).InvokeAsync();
