namespace VaxCert.Server.Hosting;

/// <summary>The server refuses to start; the message says what to fix (never a PIN, password or key material).</summary>
public sealed class ServerStartupException(string message, Exception? inner = null) : Exception(message, inner);
