using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Tests.Names;
using VaxCert.Core.Uvci;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Uvci;

public class UvciFormatTests
{
    // shared/eu-dcc/README.md section 7, recomputed there by hand.
    private const string WorkedBody = "URN:UVCI:01:NL:187/37512422923";

    [Fact]
    public void Worked_example_gives_Z()
    {
        Assert.Equal('Z', LuhnMod38.ComputeCheckCharacter(WorkedBody));
        Assert.Equal(WorkedBody + "#Z", UvciFormat.Generate("NL", "187", "37512422923"));
        var result = UvciFormat.Validate(WorkedBody + "#Z", UvciMode.VaxCert, "NL");
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("NL", result.Country);
        Assert.Equal("187/37512422923", result.IssuerPart);
        Assert.Equal(WorkedBody + "#Z", result.Canonical);
    }

    [Theory]
    [InlineData('Y')]
    [InlineData('0')]
    [InlineData(':')]
    public void Worked_example_with_another_check_character_fails(char wrong)
    {
        var strict = UvciFormat.Validate($"{WorkedBody}#{wrong}", UvciMode.Annex2);
        Assert.Equal(UvciIssue.WrongCheckCharacter, Assert.Single(strict.Errors).Issue);
        // Annex 2: a verifier must not reject for the check character, so lenient mode only warns.
        var lenient = UvciFormat.Validate($"{WorkedBody}#{wrong}", UvciMode.Lenient);
        Assert.True(lenient.IsValid);
        Assert.Equal(UvciIssue.WrongCheckCharacter, Assert.Single(lenient.Warnings).Issue);
    }

    /// <summary>Every ci in the common/ and IS developer vectors (README section 7 says the algorithm holds for them).</summary>
    public static IEnumerable<object[]> EuVectorUvcis()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in new[] { "common", "IS" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.EuTestData, folder), "*.json", SearchOption.AllDirectories))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                if (!doc.RootElement.TryGetProperty("JSON", out var dcc) || dcc.ValueKind != JsonValueKind.Object)
                    continue;
                foreach (var group in new[] { "v", "t", "r" })
                    if (dcc.TryGetProperty(group, out var entries))
                        foreach (var entry in entries.EnumerateArray())
                            found.Add(entry.GetProperty("ci").GetString()!);
            }
        return found.Select(ci => new object[] { ci });
    }

    [Fact]
    public void Eu_vectors_hold_enough_uvcis_to_mean_something() => Assert.True(EuVectorUvcis().Count() >= 10);

    [Theory]
    [MemberData(nameof(EuVectorUvcis))]
    public void Eu_vector_uvcis_follow_annex2_when_they_use_the_urn_form(string ci)
    {
        var annex2 = UvciFormat.Validate(ci, UvciMode.Annex2);
        var lenient = UvciFormat.Validate(ci, UvciMode.Lenient);
        if (ci.StartsWith("URN:UVCI:", StringComparison.Ordinal))
        {
            Assert.True(annex2.IsValid, string.Join("; ", annex2.Errors));
            if (ci.Contains('#'))
                Assert.False(annex2.Has(UvciIssue.WrongCheckCharacter));
            else
                Assert.True(annex2.Has(UvciIssue.MissingCheckCharacter)); // CO28, Swedish style without check
        }
        else
        {
            // IS test vectors "01 IS/ABC4556#8": no prefix and a space, which no mode can accept.
            Assert.False(lenient.IsValid);
            Assert.True(lenient.Has(UvciIssue.InvalidCharacter));
        }
    }

    [Fact]
    public void Co28_without_check_character_is_not_a_vaxcert_uvci()
    {
        var result = UvciFormat.Validate("URN:UVCI:01:SE:EHM/100000024GI5HMGZKSMS", UvciMode.VaxCert);
        Assert.Equal(UvciIssue.MissingCheckCharacter, Assert.Single(result.Errors).Issue);
    }

    [Theory]
    [InlineData(null, UvciIssue.Empty)]
    [InlineData("  ", UvciIssue.Empty)]
    [InlineData("urn:uvci:01:NL:187/37512422923#Z", UvciIssue.LowerCase)]
    [InlineData("01:NL:187/37512422923#Z", UvciIssue.MissingPrefix)]
    [InlineData("URN:UVCI:02:NL:187/37512422923#Z", UvciIssue.UnsupportedVersion)]
    [InlineData("URN:UVCI:01:NLD:187/37512422923#Z", UvciIssue.InvalidCountry)]
    [InlineData("URN:UVCI:01:NL:#Z", UvciIssue.MissingIssuerPart)]
    [InlineData("URN:UVCI:01:NL", UvciIssue.MissingIssuerPart)]
    [InlineData("URN:UVCI:01:NL:187//3751#Z", UvciIssue.MisplacedSeparator)]
    [InlineData("URN:UVCI:01:NL:187/3751/#Z", UvciIssue.MisplacedSeparator)]
    [InlineData("URN:UVCI:01:NL:18#7/3751#Z", UvciIssue.MisplacedSeparator)]
    [InlineData("URN:UVCI:01:NL:187/3751#ZZ", UvciIssue.MisplacedSeparator)]
    [InlineData("URN:UVCI:01:NL:187-3751#Z", UvciIssue.InvalidCharacter)]
    [InlineData("URN:UVCI:01:NL:187 3751#Z", UvciIssue.InvalidCharacter)]
    [InlineData("URN:UVCI:01:NL:187\u00003751#Z", UvciIssue.InvalidCharacter)]
    [InlineData("URN:UVCI:01:NL:187/37512422923", UvciIssue.MissingCheckCharacter)]
    [InlineData("URN:UVCI:01:NL:187/37512422923#A", UvciIssue.WrongCheckCharacter)]
    public void Vaxcert_mode_reports_each_issue(string? text, UvciIssue expected)
    {
        var result = UvciFormat.Validate(text, UvciMode.VaxCert);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, f => f.Issue == expected);
    }

    [Fact]
    public void Too_long_is_rejected_before_anything_else() =>
        Assert.Equal(UvciIssue.TooLong, Assert.Single(UvciFormat.Validate("URN:UVCI:01:VN:" + new string('A', 70), UvciMode.Lenient).Errors).Issue);

    [Fact]
    public void Lenient_mode_accepts_lower_case_without_prefix_and_gives_the_canonical_form()
    {
        var result = UvciFormat.Validate("01:nl:187/37512422923#z", UvciMode.Lenient);
        Assert.True(result.IsValid);
        Assert.True(result.Has(UvciIssue.LowerCase));
        Assert.True(result.Has(UvciIssue.MissingPrefix));
        Assert.Equal(WorkedBody + "#Z", result.Canonical);
    }

    [Fact]
    public void Expected_country_is_enforced() =>
        Assert.Equal(UvciIssue.UnexpectedCountry, Assert.Single(UvciFormat.Validate(WorkedBody + "#Z", UvciMode.VaxCert, "VN").Errors).Issue);

    [Theory]
    [InlineData("vn")]
    [InlineData("VNM")]
    public void Generate_rejects_a_bad_country(string country) =>
        Assert.Throws<ArgumentException>(() => UvciFormat.Generate(country, "A1"));

    [Theory]
    [InlineData("")]
    [InlineData("a1")]
    [InlineData("A/1")]
    public void Generate_rejects_a_bad_part(string part) =>
        Assert.Throws<ArgumentException>(() => UvciFormat.Generate("VN", part));

    private static readonly Gen<string> Segment =
        Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray()).NonEmptyListOf()
            .Where(l => l.Count <= 12).Select(l => new string(l.ToArray()));

    private static readonly Gen<string> GeneratedUvcis =
        Gen.Zip(Gen.Elements("VN", "NL", "AT", "IS"), Segment.NonEmptyListOf().Where(l => l.Count <= 4))
            .Select(t => UvciFormat.Generate(t.Item1, t.Item2.ToArray()));

    [Fact]
    public void Property_generated_uvcis_validate() =>
        PropertyCheck.ForAll(GeneratedUvcis, u =>
            UvciFormat.Validate(u, UvciMode.VaxCert) is { IsValid: true, Warnings.Count: 0 } r && r.Canonical == u);

    [Fact]
    public void Property_every_single_substitution_is_detected() =>
        PropertyCheck.ForAll(GeneratedUvcis, u =>
        {
            for (var i = 0; i < u.Length; i++)
            {
                if (u[i] == '#')
                    continue;
                foreach (var replacement in LuhnMod38.Alphabet)
                {
                    if (replacement == u[i])
                        continue;
                    var changed = u[..i] + replacement + u[(i + 1)..];
                    if (UvciFormat.Validate(changed, UvciMode.VaxCert).IsValid)
                        return false;
                }
            }
            return true;
        }, maxTest: 60);

    [Fact]
    public void Property_every_adjacent_transposition_is_detected() =>
        PropertyCheck.ForAll(GeneratedUvcis, u =>
        {
            for (var i = 0; i + 1 < u.Length; i++)
            {
                var (a, b) = (u[i], u[i + 1]);
                // Luhn mod N's one blind spot (like 09/90 in mod 10) is the pair of index 0 and N-1: 'A' and ':'.
                if (a == b || a == '#' || b == '#' || (a, b) is ('A', ':') or (':', 'A'))
                    continue;
                var swapped = u[..i] + b + a + u[(i + 2)..];
                if (UvciFormat.Validate(swapped, UvciMode.VaxCert).IsValid)
                    return false;
            }
            return true;
        });

    [Fact]
    public void The_A_colon_blind_spot_is_real_and_only_that_pair()
    {
        // Check the claim behind the exclusion above: over all pairs, only (A, :) swaps keep the check valid.
        var blind = new List<(char, char)>();
        foreach (var a in LuhnMod38.Alphabet)
            foreach (var b in LuhnMod38.Alphabet)
            {
                if (a == b)
                    continue;
                var body = $"X{a}{b}";
                var check = LuhnMod38.ComputeCheckCharacter(body)!.Value;
                if (LuhnMod38.IsValid($"X{b}{a}", check))
                    blind.Add((a, b));
            }
        Assert.Equal(new[] { (':', 'A'), ('A', ':') }, blind.OrderBy(p => p.Item1));
    }

    [Fact]
    public void Property_arbitrary_text_never_throws() =>
        PropertyCheck.ForAll(Gen.Choose(0, 0x7F).Select(i => (char)i).ArrayOf().Select(a => new string(a)), s =>
            UvciFormat.Validate(s, UvciMode.Lenient) is not null && UvciFormat.Validate(s, UvciMode.VaxCert) is not null);
}
