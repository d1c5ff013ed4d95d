using System.Text;
using FsCheck;
using FsCheck.Fluent;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Interop;
using VaxCert.Pkcs11.Signing;

namespace VaxCert.Pkcs11.Tests;

public class CkrNameTests
{
    [Theory]
    [InlineData(0xA0UL, "PIN_INCORRECT")]
    [InlineData(0xA4UL, "PIN_LOCKED")]
    [InlineData(0xB3UL, "SESSION_HANDLE_INVALID")]
    [InlineData(0x32UL, "DEVICE_REMOVED")]
    [InlineData(0x190UL, "CRYPTOKI_NOT_INITIALIZED")]
    [InlineData(0x191UL, "CRYPTOKI_ALREADY_INITIALIZED")]
    [InlineData(0x80000001UL, "0x80000001")]
    public void Ckr_values_have_their_spec_names(ulong value, string name)
        => Assert.Equal(name, CkrNames.Name((Ckr)value));

    [Fact]
    public void Exception_names_function_and_code()
    {
        var e = new Pkcs11Exception("C_Login", Ckr.PIN_INCORRECT);
        Assert.Equal("C_Login failed with CKR_PIN_INCORRECT", e.Message);
        Assert.Equal(Ckr.PIN_INCORRECT, e.Result);
        Assert.Equal("C_Login", e.Function);
    }

    [Theory]
    [InlineData(Ckr.SESSION_HANDLE_INVALID)] [InlineData(Ckr.SESSION_CLOSED)] [InlineData(Ckr.DEVICE_REMOVED)]
    [InlineData(Ckr.TOKEN_NOT_PRESENT)] [InlineData(Ckr.CRYPTOKI_NOT_INITIALIZED)] [InlineData(Ckr.USER_NOT_LOGGED_IN)]
    [InlineData(Ckr.KEY_HANDLE_INVALID)]
    public void Lost_state_is_recovered_and_reported_as_unavailable(Ckr result)
    {
        Assert.True(FailurePolicy.IsRecoverable(result));
        Assert.Equal(SigningFailure.Unavailable, FailurePolicy.ToSigningFailure(result));
    }

    [Theory]
    [InlineData(Ckr.PIN_INCORRECT)] [InlineData(Ckr.PIN_LOCKED)] [InlineData(Ckr.PIN_EXPIRED)]
    public void Pin_errors_are_never_retried(Ckr result)
    {
        Assert.False(FailurePolicy.IsRecoverable(result));
        Assert.Equal(SigningFailure.AuthenticationFailed, FailurePolicy.ToSigningFailure(result));
    }

    [Fact]
    public void Mechanism_errors_are_configuration_errors()
        => Assert.Equal(SigningFailure.Misconfigured, FailurePolicy.ToSigningFailure(Ckr.MECHANISM_PARAM_INVALID));
}

public class LabelTests
{
    [Fact]
    public void Space_padded_label_is_trimmed()
    {
        var field = Encoding.ASCII.GetBytes("vaxcert-dev" + new string(' ', 21));
        Assert.Equal("vaxcert-dev", PaddedText.Decode(field));
    }

    [Fact]
    public void Encode_pads_with_spaces_and_rejects_overlong_labels()
    {
        Assert.Equal(Encoding.ASCII.GetBytes("abc" + new string(' ', 29)), PaddedText.Encode("abc", 32));
        Assert.Throws<ArgumentException>(() => PaddedText.Encode(new string('x', 33), 32));
    }

    [Fact]
    public void Padded_round_trip_holds_for_any_short_label()
        => Check.QuickThrowOnFailure(Prop.ForAll<NonEmptyString>(s =>
        {
            var label = s.Get.Replace("\0", "").TrimEnd(' ');
            return Encoding.UTF8.GetByteCount(label) > 32 || PaddedText.Decode(PaddedText.Encode(label, 32)) == label;
        }));

    [Fact]
    public void Selector_matches_trimmed_label_and_serial()
    {
        var token = new TokenInfo(7, "vaxcert-dev", "SoftHSM project", "SoftHSM v2", "1a2b3c", TokenFlags.TokenInitialized, 0, 0);
        Assert.True(new TokenSelector("vaxcert-dev  ").Matches(token));
        Assert.True(new TokenSelector(SerialNumber: "1a2b3c").Matches(token));
        Assert.False(new TokenSelector("vaxcert-dev", "other").Matches(token));
        Assert.False(new TokenSelector("vaxcert").Matches(token));
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("windows")]
    public void Token_info_is_parsed_at_abi_offsets(string abiName)
    {
        var abi = abiName == "unix" ? Pkcs11Abi.Unix64 : Pkcs11Abi.Windows64;
        var raw = new byte[abi.TokenInfo.Size];
        PaddedText.Encode("facility-01", 32).CopyTo(raw, 0);
        PaddedText.Encode("Maker", 32).CopyTo(raw, 32);
        PaddedText.Encode("Model", 16).CopyTo(raw, 64);
        PaddedText.Encode("SN123", 16).CopyTo(raw, 80);
        abi.WriteULong(raw, 96, 0x20404); // token initialised, login required, final try
        var info = TokenInfo.Parse(abi, 5, raw);
        Assert.Equal(("facility-01", "Maker", "Model", "SN123"), (info.Label, info.Manufacturer, info.Model, info.SerialNumber));
        Assert.True(info.IsInitialized);
        Assert.Equal(PinRetryState.FinalTry, info.PinState);
    }

    [Theory]
    [InlineData(TokenFlags.None, PinRetryState.Ok)]
    [InlineData(TokenFlags.UserPinCountLow, PinRetryState.CountLow)]
    [InlineData(TokenFlags.UserPinCountLow | TokenFlags.UserPinFinalTry, PinRetryState.FinalTry)]
    [InlineData(TokenFlags.UserPinFinalTry | TokenFlags.UserPinLocked, PinRetryState.Locked)]
    public void Pin_state_reports_the_most_severe_flag(TokenFlags flags, PinRetryState expected)
        => Assert.Equal(expected, PinRetryStates.From(flags));
}

public class EcPointTests
{
    private static byte[] Point(byte first)
    {
        var p = new byte[65];
        p[0] = 0x04;
        for (var i = 1; i < 65; i++) p[i] = (byte)(first + i);
        return p;
    }

    [Fact]
    public void Der_wrapped_point_is_unwrapped()
    {
        var point = Point(0x10);
        Assert.Equal(point, EcPoint.Unwrap([0x04, 0x41, .. point], 32));
    }

    [Fact]
    public void Bare_point_is_returned_as_is_even_when_it_looks_like_a_wrapper()
    {
        var point = Point(0x3E); // X starts with 0x3F: "04 3F ..." must not be mistaken for an OCTET STRING header
        Assert.Equal(0x3F, point[1]);
        Assert.Equal(point, EcPoint.Unwrap(point, 32));
    }

    [Theory]
    [InlineData(0)] [InlineData(33)] [InlineData(66)] [InlineData(68)]
    public void Other_lengths_are_rejected(int length)
        => Assert.Equal(LookupFailure.UnsupportedKey,
            Assert.Throws<Pkcs11LookupException>(() => EcPoint.Unwrap(new byte[length], 32)).Failure);

    [Fact]
    public void Compressed_point_inside_wrapper_is_rejected()
    {
        var value = new byte[67];
        value[0] = 0x04; value[1] = 0x41; value[2] = 0x02;
        Assert.Throws<Pkcs11LookupException>(() => EcPoint.Unwrap(value, 32));
    }

    [Fact]
    public void Any_point_survives_wrapping()
        => Check.QuickThrowOnFailure(Prop.ForAll<NonNull<byte[]>>(generated =>
        {
            var bytes = generated.Get;
            byte[] point = [0x04, .. bytes, .. new byte[Math.Max(0, 64 - bytes.Length)]];
            point = point[..65];
            return EcPoint.Unwrap([0x04, 0x41, .. point], 32).AsSpan().SequenceEqual(point)
                   && EcPoint.Unwrap(point, 32).AsSpan().SequenceEqual(point);
        }));
}

public class PinSourceTests
{
    [Fact]
    public void Environment_source_reads_the_variable_each_time()
    {
        var name = "VAXCERT_TEST_PIN_" + Guid.NewGuid().ToString("N");
        var source = PinSource.FromEnvironment(name);
        Assert.Throws<InvalidOperationException>(() => source.Obtain());
        Environment.SetEnvironmentVariable(name, "4711");
        Assert.Equal("4711"u8.ToArray(), source.Obtain());
        Environment.SetEnvironmentVariable(name, null);
    }

    [Theory]
    [InlineData("98765\n")]
    [InlineData("98765\r\nsecond line")]
    [InlineData("98765")]
    public void File_source_takes_the_first_line(string content)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, content);
        Assert.Equal("98765"u8.ToArray(), PinSource.FromFile(path).Obtain());
        File.Delete(path);
    }

    [Fact]
    public void Description_and_ToString_never_contain_the_pin()
    {
        var memory = PinSource.FromBytes("31337"u8);
        Assert.DoesNotContain("31337", memory.ToString());
        Assert.Equal("PinSource(file /run/secrets/pin)", PinSource.FromFile("/run/secrets/pin").ToString());
    }

    [Fact]
    public void Each_obtain_returns_a_fresh_copy_the_caller_may_zero()
    {
        var source = PinSource.FromBytes("1234"u8);
        var first = source.Obtain();
        Array.Clear(first);
        Assert.Equal("1234"u8.ToArray(), source.Obtain());
    }
}
