using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Encoding;

namespace VaxCert.Core.Tests.Encoding;

public class Base45Tests
{
    // RFC 9285 §4.3 examples.
    [Theory]
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    [InlineData("", "")]
    public void Encodes_rfc_examples(string text, string expected)
    {
        Assert.Equal(expected, Base45.Encode(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.True(Base45.TryDecode(expected, out var bytes, out var failure));
        Assert.Equal(DecodeFailure.None, failure);
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("GGW", DecodeFailure.Base45InvalidGroup)]     // 65535+: 16 + 16*45 + 32*2025 = 65536
    [InlineData("::", DecodeFailure.Base45InvalidGroup)]      // 44 + 44*45 > 255 for a final pair
    [InlineData("BB", DecodeFailure.Base45InvalidGroup)]      // 11 + 11*45 = 506 > 255
    [InlineData("B", DecodeFailure.Base45InvalidGroup)]       // dangling single character
    [InlineData("BB8=", DecodeFailure.Base45InvalidCharacter)] // '=' is outside the alphabet (EU vector B1)
    [InlineData("bb8", DecodeFailure.Base45InvalidCharacter)]  // lower case is not Base45
    [InlineData("BB\u00C98", DecodeFailure.Base45InvalidCharacter)]
    public void Rejects_impossible_input_with_a_reason(string text, DecodeFailure expected)
    {
        Assert.False(Base45.TryDecode(text, out var bytes, out var failure));
        Assert.Equal(expected, failure);
        Assert.Empty(bytes);
    }

    [Fact]
    public void Round_trips_any_bytes()
    {
        Prop.ForAll<byte[]>(data =>
        {
            var text = Base45.Encode(data);
            return Base45.TryDecode(text, out var back, out _) && back.AsSpan().SequenceEqual(data)
                   && text.Length == Base45.GetEncodedLength(data.Length);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Never_throws_on_arbitrary_text()
    {
        Prop.ForAll<string>(s =>
        {
            var ok = Base45.TryDecode(s ?? "", out _, out var failure);
            return ok == (failure == DecodeFailure.None);
        }).QuickCheckThrowOnFailure();
    }
}
