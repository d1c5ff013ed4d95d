using System.Text.Json.Nodes;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;

namespace VaxCert.Verifier.Revocation;

/// <summary>
/// The EU DCC revocation entries of one certificate: the signer's kid (lists are published per kid) and the three
/// 16-byte hashes (<see cref="RevocationHashes"/>). UCI and COUNTRYCODEUCI are absent when the DCC has no single
/// v/t/r entry with a ci, or (COUNTRYCODEUCI) no CWT iss.
/// </summary>
public sealed record RevocationEntries(byte[]? KeyId, byte[] Signature, byte[]? Uci, byte[]? CountryCodeUci)
{
    /// <summary>The hash of <paramref name="type"/>, or null when the certificate has none of that type.</summary>
    public byte[]? Get(RevocationHashType type) => type switch
    {
        RevocationHashType.Uci => Uci,
        RevocationHashType.CountryCodeUci => CountryCodeUci,
        _ => Signature,
    };

    /// <summary>Computes the entries of an HC1 text; null (with the decode failure) when it is not a readable HC1.</summary>
    public static RevocationEntries? FromHc1(string hc1, out DecodeFailure failure, Hc1DecodeOptions? options = null)
    {
        var decoded = Hc1Decoder.Decode((hc1 ?? "").AsSpan(), options);
        failure = decoded.Failure;
        return decoded is { Success: true, Message: { } message, Claims: { } claims, Dcc: { } dcc } ? From(message, claims, dcc) : null;
    }

    /// <summary>Computes the entries from a decoded certificate.</summary>
    public static RevocationEntries From(CoseSign1Message message, CwtClaims claims, JsonObject dcc)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(claims);
        var uci = SingleUci(dcc);
        return new RevocationEntries(
            message.KeyId,
            RevocationHashes.Signature(message.Algorithm ?? 0, message.Signature.Span),
            uci is null ? null : RevocationHashes.Uci(uci),
            uci is null || claims.Issuer is null ? null : RevocationHashes.CountryCodeUci(claims.Issuer, uci));
    }

    /// <summary>The ci of the certificate's single v, t or r entry.</summary>
    internal static string? SingleUci(JsonObject? dcc)
    {
        string? found = null;
        foreach (var group in (ReadOnlySpan<string>)["v", "t", "r"])
        {
            if (dcc?[group] is not JsonArray { Count: > 0 } entries) continue;
            if (found is not null || entries.Count != 1) return null; // several entries: no single UCI to revoke by
            if (entries[0] is JsonObject e && e["ci"] is JsonValue v && v.TryGetValue(out string? ci)) found = ci;
            else return null;
        }
        return found;
    }
}
