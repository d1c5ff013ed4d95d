using VaxCert.Bench.Scenarios;
using VaxCert.Core.Decoding;

namespace VaxCert.Verifier.Tests;

/// <summary>
/// Robustness: thousands of seeded mutations of valid ES256 and PS256 certificates at every layer. Nothing escapes as an
/// exception, nothing needs the catch-all (no InternalError), and nothing is Valid unless its signed bytes are the original's.
/// </summary>
public sealed class MutationTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void Mutated_inputs_never_escape_and_never_pass_unless_unchanged(bool ecdsa, int seed)
    {
        var original = new Hc1Builder { Signer = ecdsa ? TestSigners.Es256 : TestSigners.Ps256 }.Build();
        var verifier = TestSigners.Verifier();
        Assert.True(verifier.Verify(original).IsValid);
        var mutator = new Hc1Mutator(original, seed);
        var byReason = new Dictionary<ReasonCode, int>();
        var kinds = new HashSet<string>();
        for (var i = 0; i < 2500; i++)
        {
            var (kind, text) = mutator.Next();
            kinds.Add(kind);
            var result = verifier.Verify(text); // an escaping exception fails the test right here
            byReason[result.Reason] = byReason.GetValueOrDefault(result.Reason) + 1;
            Assert.False(result.Reason == ReasonCode.InternalError, $"{kind} reached the catch-all: {text}");
            if (result.IsValid)
                Assert.True(Hc1Mutator.SameSignedBytes(text, original), $"{kind} produced a Valid certificate with other signed bytes: {text}");
        }
        Assert.Equal(Hc1Mutator.Kinds.Order(), kinds.Order());
        // The mutations reach deep stages, not only the outer ones.
        Assert.True(byReason.GetValueOrDefault(ReasonCode.SignatureInvalid) > 0, string.Join(", ", byReason));
        Assert.True(byReason.GetValueOrDefault(ReasonCode.ZlibTooLarge) > 0, string.Join(", ", byReason));
        Assert.True(byReason.Keys.Count(k => k != ReasonCode.None) >= 8, string.Join(", ", byReason));
    }

    [Fact]
    public void Same_signed_bytes_check_tells_a_recompressed_original_from_a_changed_one()
    {
        var original = new Hc1Builder { Signer = TestSigners.Es256 }.Build();
        var cose = Hc1.DecodeCose(original);
        Assert.True(Hc1Mutator.SameSignedBytes(Hc1Builder.Wrap(cose), original));
        cose[^1] ^= 1;
        Assert.False(Hc1Mutator.SameSignedBytes(Hc1Builder.Wrap(cose), original));
        Assert.NotNull(Hc1Decoder.Decode(original).Message);
    }
}
