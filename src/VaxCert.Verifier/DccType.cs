using System.Text.Json.Nodes;

namespace VaxCert.Verifier;

/// <summary>The DCC certificate types, as flags so a signer's allowed set fits one value.</summary>
[Flags]
public enum DccTypes
{
    /// <summary>No type (or, for a certificate, not exactly one of v/t/r).</summary>
    None = 0,
    /// <summary>Vaccination (v).</summary>
    Vaccination = 1,
    /// <summary>Test (t).</summary>
    Test = 2,
    /// <summary>Recovery (r).</summary>
    Recovery = 4,
    /// <summary>Every type: a signer without DCC key-usage restrictions.</summary>
    All = Vaccination | Test | Recovery,
}

/// <summary>Reads the type of a decoded DCC.</summary>
public static class DccTypeReader
{
    /// <summary>The single type present (v, t or r); <see cref="DccTypes.None"/> when none or several are present.</summary>
    public static DccTypes Read(JsonObject dcc)
    {
        var found = DccTypes.None;
        var count = 0;
        if (dcc.ContainsKey("v")) { found = DccTypes.Vaccination; count++; }
        if (dcc.ContainsKey("t")) { found = DccTypes.Test; count++; }
        if (dcc.ContainsKey("r")) { found = DccTypes.Recovery; count++; }
        return count == 1 ? found : DccTypes.None;
    }

    /// <summary>"v", "t", "r" or "" for display and JSON.</summary>
    public static string Letter(DccTypes type) => type switch
    {
        DccTypes.Vaccination => "v",
        DccTypes.Test => "t",
        DccTypes.Recovery => "r",
        _ => "",
    };
}
