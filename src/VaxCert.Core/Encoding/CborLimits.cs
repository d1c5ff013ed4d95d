namespace VaxCert.Core.Encoding;

/// <summary>Caps applied while reading untrusted CBOR, so a crafted payload cannot exhaust memory or the stack.</summary>
public sealed record CborLimits
{
    /// <summary>Maximum nesting of arrays/maps/tags.</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>Maximum elements in one array or entries in one map.</summary>
    public int MaxContainerItems { get; init; } = 1024;

    /// <summary>Maximum length of one text or byte string.</summary>
    public int MaxStringBytes { get; init; } = 16 * 1024;

    public static CborLimits Default { get; } = new();
}
