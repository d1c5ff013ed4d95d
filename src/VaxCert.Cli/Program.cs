using VaxCert.Cli;

return await CliApp.RunAsync(args);
