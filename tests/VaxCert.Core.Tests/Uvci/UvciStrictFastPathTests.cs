using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Uvci;

namespace VaxCert.Core.Tests.Uvci;

/// <summary>The allocation-free issuance check must accept exactly what the full VaxCert-mode validator accepts.</summary>
public class UvciStrictFastPathTests
{
    private static readonly DeterministicUvci Generator = new("VN");
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:#urnvci -_.é";

    [Fact]
    public void Agrees_with_the_full_validator_on_valid_and_mutated_ids()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var random = new Random(seed);
            var id = Generator.For(random.Next(3) == 0 ? "HCM01" : "HN001", $"R{random.Next()}");
            var candidates = new List<string> { id, id.ToLowerInvariant(), id[..^2], id + "X", id.Replace("VN", "KR"), "" };
            for (var i = 0; i < 20; i++)
            {
                var chars = id.ToCharArray();
                chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
                candidates.Add(new string(chars));
                var pos = random.Next(id.Length);
                candidates.Add(id.Remove(pos, 1));
                candidates.Add(id.Insert(pos, Alphabet[random.Next(Alphabet.Length)].ToString()));
            }
            foreach (var c in candidates)
            {
                var full = UvciFormat.Validate(c, UvciMode.VaxCert, "VN").IsValid;
                Assert.True(full == UvciFormat.IsValidStrict(c, "VN"), $"disagree on '{c}': full={full}");
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Theory]
    [InlineData("URN:UVCI:01:VN:HN001/ABC#", false)]
    [InlineData("URN:UVCI:01:VN:/ABC#A", false)]
    [InlineData("URN:UVCI:01:VN:HN001//ABC#A", false)]
    public void Rejects_structural_errors(string id, bool expected)
    {
        Assert.Equal(expected, UvciFormat.IsValidStrict(id, "VN"));
        Assert.Equal(expected, UvciFormat.Validate(id, UvciMode.VaxCert, "VN").IsValid);
    }
}
