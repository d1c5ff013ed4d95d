namespace VaxCert.Pkcs11.Interop;

/// <summary>A PKCS#11 function returned an error. Carries the CKR name and the function; never a PIN or key material.</summary>
public sealed class Pkcs11Exception : Exception
{
    /// <summary>Creates the exception for <paramref name="function"/> returning <paramref name="result"/>.</summary>
    public Pkcs11Exception(string function, Ckr result, string? detail = null)
        : base($"{function} failed with CKR_{CkrNames.Name(result)}" + (detail is null ? "" : $": {detail}"))
    {
        Function = function;
        Result = result;
    }

    /// <summary>The PKCS#11 function that failed, e.g. "C_Sign".</summary>
    public string Function { get; }

    /// <summary>The CK_RV it returned.</summary>
    public Ckr Result { get; }
}

/// <summary>Names for CK_RV values; unknown vendor codes print as hex.</summary>
public static class CkrNames
{
    /// <summary>"PIN_INCORRECT" for 0xA0, "0x80000001" for an undefined value.</summary>
    public static string Name(Ckr result)
        => Enum.IsDefined(result) ? result.ToString() : $"0x{(ulong)result:X}";
}
