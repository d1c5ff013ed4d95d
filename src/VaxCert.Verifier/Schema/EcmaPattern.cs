using System.Text;
using System.Text.RegularExpressions;

namespace VaxCert.Verifier.Schema;

/// <summary>
/// Compiles a JSON Schema <c>pattern</c> (ECMA-262 syntax and semantics, as JSON Schema requires) into a .NET regex that
/// runs in linear time (<see cref="RegexOptions.NonBacktracking"/>, so hostile text cannot make it backtrack) and matches
/// exactly what ECMAScript matches. .NET differs from ECMAScript in ways the EU schemas touch, so those are rewritten:
/// <c>$</c> matches only at the very end (.NET's also matches before a final "\n"), <c>\d</c> is ASCII 0-9 only, and
/// <c>.</c> excludes every ECMAScript line terminator (\n \r U+2028 U+2029). Constructs whose meaning differs in ways not
/// rewritten here (\w \s \b, back-references, look-around, flags) are refused when the schema is compiled, never guessed.
/// </summary>
internal static class EcmaPattern
{
    private const string NotLineTerminator = @"[^\n\r\u2028\u2029]";

    /// <summary>The linear-time .NET regex for an ECMAScript pattern. Throws <see cref="ArgumentException"/> for a construct it does not support.</summary>
    public static Regex Compile(string pattern)
        => new(Translate(pattern), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    /// <summary>The .NET syntax of an ECMAScript pattern (see the class remarks).</summary>
    public static string Translate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var output = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length) throw Unsupported(pattern, "a trailing backslash");
                var e = pattern[++i];
                switch (e)
                {
                    case 'd': output.Append(inClass ? "0-9" : "[0-9]"); break;
                    case 'D' when !inClass: output.Append("[^0-9]"); break;
                    case 'n' or 'r' or 't' or 'f' or 'v' or '0':
                    case '.' or '*' or '+' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '|' or '^' or '$' or '\\' or '/' or '-':
                        output.Append('\\').Append(e);
                        break;
                    case 'u' when i + 4 < pattern.Length:
                        output.Append('\\').Append(pattern, i, 5);
                        i += 4;
                        break;
                    default:
                        throw Unsupported(pattern, $"the escape \\{e}");
                }
                continue;
            }
            if (inClass)
            {
                if (c == ']') inClass = false;
                else if (c == '[') output.Append('\\'); // literal in ECMAScript, subtraction syntax in .NET
                output.Append(c);
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    output.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^') { output.Append('^'); i++; }
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']') throw Unsupported(pattern, "an empty character class");
                    break;
                case '$': output.Append(@"\z"); break;
                case '.': output.Append(NotLineTerminator); break;
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    throw Unsupported(pattern, "a group modifier (?...)");
                default: output.Append(c); break;
            }
        }
        if (inClass) throw Unsupported(pattern, "an unterminated character class");
        return output.ToString();
    }

    private static ArgumentException Unsupported(string pattern, string what)
        => new($"pattern '{pattern}' uses {what}, which this ECMAScript translation does not support");
}
