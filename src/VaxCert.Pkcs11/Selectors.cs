using Net.Pkcs11Interop.Common;

namespace VaxCert.Pkcs11;

/// <summary>Names a token by label and/or serial number; slot ids are not stable, so they are never used.</summary>
public sealed record TokenSelector(string? Label = null, string? SerialNumber = null)
{
    /// <summary>True when every given field equals the token's (trimmed) field.</summary>
    public bool Matches(TokenInfo token)
        => (Label is null || token.Label == Label.TrimEnd(' ')) &&
           (SerialNumber is null || token.SerialNumber == SerialNumber.TrimEnd(' '));

    /// <inheritdoc />
    public override string ToString() => string.Join(", ",
        new[] { Label is null ? null : $"label '{Label}'", SerialNumber is null ? null : $"serial '{SerialNumber}'" }.OfType<string>());
}

/// <summary>Names a key (and its certificate) on a token by CKA_LABEL and/or CKA_ID.</summary>
public sealed record KeySelector(string? Label = null, byte[]? Id = null)
{
    /// <summary>Parses a hex CKA_ID such as "01" or "a1b2".</summary>
    public static KeySelector ById(string hexId) => new(Id: Convert.FromHexString(hexId));

    /// <summary>A search template for objects of <paramref name="objectClass"/> with this label and/or id.</summary>
    internal (CKA Type, object Value)[] Template(CKO objectClass)
    {
        var template = new List<(CKA, object)> { (CKA.CKA_CLASS, objectClass) };
        if (Label is not null) template.Add((CKA.CKA_LABEL, Label));
        if (Id is not null) template.Add((CKA.CKA_ID, Id));
        return [.. template];
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ",
        new[] { Label is null ? null : $"label '{Label}'", Id is null ? null : $"id {Convert.ToHexStringLower(Id)}" }.OfType<string>());
}
