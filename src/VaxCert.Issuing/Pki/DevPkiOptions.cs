namespace VaxCert.Issuing.Pki;

/// <summary>What <see cref="DevPkiGenerator"/> writes.</summary>
public sealed record DevPkiOptions
{
    /// <summary>Output folder (keys-dev by default).</summary>
    public string OutputDirectory { get; init; } = "keys-dev";

    /// <summary>Also issue an RSA-2048 facility certificate (<see cref="DevPkiGenerator.RsaFacility"/>).</summary>
    public bool IncludeRsaFacility { get; init; }

    /// <summary>Overwrite an existing dev PKI; without it the generator refuses to touch existing files.</summary>
    public bool Force { get; init; }
}

/// <summary>One sample facility of the dev PKI.</summary>
/// <param name="Code">Facility code (UVCI segment, certificate serialNumber).</param>
/// <param name="Name">Display name (certificate CN).</param>
/// <param name="Rsa">RSA-2048 key instead of EC P-256.</param>
public sealed record DevFacility(string Code, string Name, bool Rsa = false);

/// <summary>What was written: paths relative to the output folder.</summary>
public sealed record DevPkiResult(string OutputDirectory, IReadOnlyList<string> Files);
