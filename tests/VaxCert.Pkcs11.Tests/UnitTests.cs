using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using Net.Pkcs11Interop.Common;
using VaxCert.Core.Signing;
using VaxCert.Pkcs11.Signing;

namespace VaxCert.Pkcs11.Tests;

public class FailurePolicyTests
{
    [Theory]
    [InlineData(CKR.CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT")]
    [InlineData(CKR.CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID")]
    [InlineData((CKR)0x80000001UL, "CKR_0x80000001")]
    public void Ckr_values_have_their_spec_names_and_vendor_codes_print_as_hex(CKR value, string name)
        => Assert.Equal(name, FailurePolicy.Name(value));

    [Theory]
    [InlineData(CKR.CKR_SESSION_HANDLE_INVALID)] [InlineData(CKR.CKR_SESSION_CLOSED)] [InlineData(CKR.CKR_DEVICE_REMOVED)]
    [InlineData(CKR.CKR_TOKEN_NOT_PRESENT)] [InlineData(CKR.CKR_CRYPTOKI_NOT_INITIALIZED)] [InlineData(CKR.CKR_USER_NOT_LOGGED_IN)]
    [InlineData(CKR.CKR_KEY_HANDLE_INVALID)] [InlineData(CKR.CKR_OBJECT_HANDLE_INVALID)] [InlineData(CKR.CKR_SLOT_ID_INVALID)]
    public void Lost_state_is_recovered_and_reported_as_unavailable(CKR result)
    {
        Assert.True(FailurePolicy.IsRecoverable(result));
        Assert.True(FailurePolicy.IsRecoverable(new Pkcs11Exception("C_Sign", result)));
        Assert.Equal(SigningFailure.Unavailable, FailurePolicy.ToSigningFailure(result));
    }

    [Theory]
    [InlineData(CKR.CKR_PIN_INCORRECT)] [InlineData(CKR.CKR_PIN_LOCKED)] [InlineData(CKR.CKR_PIN_EXPIRED)]
    [InlineData(CKR.CKR_PIN_INVALID)] [InlineData(CKR.CKR_PIN_LEN_RANGE)]
    public void Pin_errors_are_never_retried(CKR result)
    {
        Assert.False(FailurePolicy.IsRecoverable(result));
        Assert.False(FailurePolicy.IsRecoverable(new Pkcs11Exception("C_Login", result)));
        Assert.Equal(SigningFailure.AuthenticationFailed, FailurePolicy.ToSigningFailure(result));
    }

    [Theory]
    [InlineData(CKR.CKR_MECHANISM_INVALID)] [InlineData(CKR.CKR_MECHANISM_PARAM_INVALID)]
    [InlineData(CKR.CKR_KEY_FUNCTION_NOT_PERMITTED)] [InlineData(CKR.CKR_KEY_TYPE_INCONSISTENT)]
    public void Mechanism_and_key_errors_are_configuration_errors(CKR result)
    {
        Assert.False(FailurePolicy.IsRecoverable(result));
        Assert.Equal(SigningFailure.Misconfigured, FailurePolicy.ToSigningFailure(result));
    }

    [Fact]
    public void Other_codes_are_device_errors_without_retry()
    {
        Assert.False(FailurePolicy.IsRecoverable(CKR.CKR_DATA_LEN_RANGE));
        Assert.Equal(SigningFailure.DeviceError, FailurePolicy.ToSigningFailure(CKR.CKR_DATA_LEN_RANGE));
    }

    [Fact]
    public void A_session_of_a_replaced_library_instance_is_recoverable_and_other_exceptions_are_not()
    {
        Assert.True(FailurePolicy.IsRecoverable(new ObjectDisposedException("Session")));
        Assert.False(FailurePolicy.IsRecoverable(new InvalidOperationException()));
    }
}

public class TokenInfoTests
{
    [Fact]
    public void Selector_matches_trimmed_label_and_serial()
    {
        var token = new TokenInfo(7, "vaxcert-dev", "SoftHSM project", "SoftHSM v2", "1a2b3c", true, PinRetryState.Ok, 0, 0);
        Assert.True(new TokenSelector("vaxcert-dev  ").Matches(token));
        Assert.True(new TokenSelector(SerialNumber: "1a2b3c").Matches(token));
        Assert.False(new TokenSelector("vaxcert-dev", "other").Matches(token));
        Assert.False(new TokenSelector("vaxcert").Matches(token));
    }

    [Theory]
    [InlineData(false, false, false, PinRetryState.Ok)]
    [InlineData(false, false, true, PinRetryState.CountLow)]
    [InlineData(false, true, true, PinRetryState.FinalTry)]
    [InlineData(true, true, false, PinRetryState.Locked)]
    public void Pin_state_reports_the_most_severe_flag(bool locked, bool finalTry, bool countLow, PinRetryState expected)
        => Assert.Equal(expected, PinRetryStates.From(locked, finalTry, countLow));
}

public class NativeResolverTests
{
    [Fact]
    public void Libdl_resolves_to_the_versioned_glibc_file_and_other_names_keep_default_probing()
    {
        Assert.True(OperatingSystem.IsLinux(), "these tests target Linux");
        var assembly = typeof(Net.Pkcs11Interop.HighLevelAPI.IPkcs11Library).Assembly;
        var handle = Pkcs11InteropRuntime.ResolveLibdl("libdl", assembly, null);
        Assert.NotEqual(IntPtr.Zero, handle);
        Assert.True(NativeLibrary.TryGetExport(handle, "dlopen", out _));
        Assert.Equal(IntPtr.Zero, Pkcs11InteropRuntime.ResolveLibdl("libsofthsm2", assembly, null));
    }
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
