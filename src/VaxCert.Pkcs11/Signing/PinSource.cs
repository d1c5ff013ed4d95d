using System.Security.Cryptography;
using System.Text;

namespace VaxCert.Pkcs11.Signing;

/// <summary>
/// Where a token PIN comes from. The signer asks again after losing its login, so a source must be able to give the PIN
/// more than once. <see cref="Obtain"/> returns a fresh array the caller zeroes after use. ToString never shows the PIN.
/// </summary>
public abstract class PinSource
{
    /// <summary>The PIN from an environment variable (read on every call, so a rotated value is picked up).</summary>
    public static PinSource FromEnvironment(string variable) => new EnvironmentPin(variable);

    /// <summary>The PIN from the first line of a file (e.g. a mounted secret); the trailing newline is dropped.</summary>
    public static PinSource FromFile(string path) => new FilePin(path);

    /// <summary>The PIN typed at the console without echo.</summary>
    public static PinSource Interactive(string prompt = "Token PIN: ") => new ConsolePin(prompt);

    /// <summary>The PIN held in memory (a copy of <paramref name="pin"/>); for hosts that fetch it from a vault themselves.</summary>
    public static PinSource FromBytes(ReadOnlySpan<byte> pin) => new MemoryPin(pin.ToArray());

    /// <summary>A short description without the PIN, e.g. "environment variable VAXCERT_PIN".</summary>
    public abstract string Description { get; }

    /// <summary>The PIN as UTF-8 bytes. Throws <see cref="InvalidOperationException"/> when the source is empty.</summary>
    public abstract byte[] Obtain();

    /// <inheritdoc />
    public sealed override string ToString() => $"PinSource({Description})";

    private static byte[] NonEmpty(byte[] pin, string description)
    {
        if (pin.Length > 0)
            return pin;
        throw new InvalidOperationException($"No PIN available from {description}.");
    }

    private sealed class EnvironmentPin(string variable) : PinSource
    {
        public override string Description => $"environment variable {variable}";
        public override byte[] Obtain() => NonEmpty(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(variable) ?? ""), Description);
    }

    private sealed class FilePin(string path) : PinSource
    {
        public override string Description => $"file {path}";

        public override byte[] Obtain()
        {
            if (!File.Exists(path))
                throw new InvalidOperationException($"PIN file {path} does not exist.");
            var raw = File.ReadAllBytes(path);
            try
            {
                var end = Array.IndexOf(raw, (byte)'\n');
                var length = end < 0 ? raw.Length : end;
                if (length > 0 && raw[length - 1] == '\r')
                    length--;
                return NonEmpty(raw[..length], Description);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(raw);
            }
        }
    }

    private sealed class ConsolePin(string prompt) : PinSource
    {
        public override string Description => "interactive prompt";

        public override byte[] Obtain()
        {
            if (Console.IsInputRedirected)
                throw new InvalidOperationException("Cannot prompt for a PIN: standard input is not a terminal.");
            Console.Error.Write(prompt);
            var chars = new List<char>();
            try
            {
                for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
                {
                    if (key.Key == ConsoleKey.Backspace) { if (chars.Count > 0) chars.RemoveAt(chars.Count - 1); }
                    else if (!char.IsControl(key.KeyChar)) chars.Add(key.KeyChar);
                }
                Console.Error.WriteLine();
                return NonEmpty(Encoding.UTF8.GetBytes(chars.ToArray()), Description);
            }
            finally
            {
                for (var i = 0; i < chars.Count; i++) chars[i] = '\0';
            }
        }
    }

    private sealed class MemoryPin(byte[] pin) : PinSource
    {
        public override string Description => "memory";
        public override byte[] Obtain() => NonEmpty((byte[])pin.Clone(), Description);
    }
}
