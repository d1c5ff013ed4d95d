using System.Formats.Cbor;
using VaxCert.Core.Dcc;
using VaxCert.Core.Encoding;
using VaxCert.Core.Model;
using VaxCert.Core.Names;
using VaxCert.Core.Signing;
using VaxCert.Core.Validation;

namespace VaxCert.Core.Issuance;

/// <summary>
/// Turns one validated record into a signed HC1 certificate: DCC → CWT → COSE_Sign1 → zlib → Base45 → "HC1:".
/// Thread-safe when the signer is. Bad records never throw: they come back as an <see cref="IssuanceResult"/>.
/// </summary>
public sealed class Hc1Issuer
{
    private readonly ICoseSigner _signer;
    private readonly IssuerSettings _settings;
    private readonly TimeProvider _time;
    private readonly Func<VaccinationRecord, IReadOnlyList<ValidationError>> _validate;
    private readonly byte[] _protectedHeader;

    /// <param name="signer">The ministry's document signer (software key or PKCS#11 token).</param>
    /// <param name="settings">Issuer country, name, validity.</param>
    /// <param name="validate">Record validation run before anything is signed.</param>
    /// <param name="time">Clock for iat; the system clock by default.</param>
    public Hc1Issuer(ICoseSigner signer, IssuerSettings settings,
        Func<VaccinationRecord, IReadOnlyList<ValidationError>> validate, TimeProvider? time = null)
    {
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _validate = validate ?? throw new ArgumentNullException(nameof(validate));
        _time = time ?? TimeProvider.System;
        // The protected header is the same for every certificate of this signer: encode it once.
        _protectedHeader = CoseSign1.EncodeProtectedHeader(signer.Algorithm, signer.KeyId.Span);
    }

    /// <summary>An issuer that validates with the shipped EU value sets and Viet Nam's issuance policy.</summary>
    public static Hc1Issuer Create(ICoseSigner signer, IssuerSettings? settings = null, TimeProvider? time = null,
        Dcc.IssuancePolicy? policy = null)
    {
        settings ??= IssuerSettings.Default;
        time ??= TimeProvider.System;
        var validator = new RecordValidator(Dcc.ValueSets.Default, policy ?? Dcc.IssuancePolicy.Default, settings, time);
        return new Hc1Issuer(signer, settings, validator.Validate, time);
    }

    public ICoseSigner Signer => _signer;
    public IssuerSettings Settings => _settings;

    /// <summary>Validates and issues. <paramref name="facilityAttestation"/> is the pre-encoded CBOR co-signature claim, if any.</summary>
    public IssuanceResult Issue(VaccinationRecord record, ReadOnlyMemory<byte>? facilityAttestation = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        // A null byte[] converts silently to an empty memory: treat "empty" as "no co-signature", never as a claim.
        if (facilityAttestation is { IsEmpty: true }) facilityAttestation = null;
        var errors = _validate(record);
        if (errors.Count > 0)
            return IssuanceResult.Invalid(errors);

        var family = IcaoTransliterator.Transliterate(record.FamilyName);
        var given = IcaoTransliterator.Transliterate(record.GivenName);
        if (!family.Success || !given.Success)
            return IssuanceResult.Invalid([new ValidationError(family.Success ? "GivenName" : "FamilyName",
                family.Success ? "nam.gnt" : "nam.fnt", ValidationRule.InvalidCharacters, "the name cannot be transliterated")]);

        var now = _time.GetUtcNow();
        var iat = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var cert = _signer.Certificate;
        if (iat < cert.NotBefore.ToUniversalTime() || iat >= cert.NotAfter.ToUniversalTime())
            return IssuanceResult.Refused(IssuanceFailure.SignerCertificateNotValid,
                $"signer certificate is valid {cert.NotBefore:u} to {cert.NotAfter:u}, not at {iat:u}");
        // exp = iat + validity, but never beyond the signer certificate (verifiers check signer validity at iat,
        // and issuers must not outlive their DSC).
        var exp = iat.AddMonths(_settings.ValidityMonths);
        var notAfter = DateTimeOffset.FromUnixTimeSeconds(new DateTimeOffset(cert.NotAfter.ToUniversalTime()).ToUnixTimeSeconds());
        if (exp > notAfter) exp = notAfter;
        if (exp <= iat)
            return IssuanceResult.Refused(IssuanceFailure.SignerCertificateExpiresTooSoon, "signer certificate expires too soon");

        var mrz = new DccMapper.MachineReadableName(family.Value, given.Value);
        var payload = EncodeCwt(iat, exp, record, mrz, facilityAttestation, out var dccRange);

        byte[] signature;
        try
        {
            signature = _signer.Sign(CoseSign1.BuildToBeSigned(_protectedHeader, payload));
        }
        catch (SigningException e)
        {
            return IssuanceResult.Refused(IssuanceFailure.SigningFailed, "signing failed: " + e.Message, e.Failure);
        }

        var cose = CoseSign1.Encode(_protectedHeader, payload, signature);
        var compressed = Zlib.Compress(cose);
        // "HC1:" and the Base45 text written straight into the one string (not two ~1 KB strings concatenated).
        var hc1 = string.Create(ContextPrefix.Hc1.Length + Base45.GetEncodedLength(compressed.Length), compressed,
            static (chars, bytes) =>
            {
                ContextPrefix.Hc1.CopyTo(chars);
                Base45.Encode(bytes, chars[ContextPrefix.Hc1.Length..]);
            });
        return IssuanceResult.Issued(new IssuedCertificate
        {
            Uvci = record.CertificateId,
            Hc1 = hc1,
            Cose = cose,
            Compressed = compressed,
            CwtPayload = payload,
            DccCbor = payload[dccRange],
            IssuedAt = iat,
            ExpiresAt = exp,
            Algorithm = _signer.Algorithm,
            SignerKeyId = _signer.KeyId.ToArray(),
        });
    }

    /// <summary>
    /// CWT claims in deterministic key order: 1 iss, 4 exp, 6 iat (one-byte keys), then -260 hcert (0x39…), then the
    /// private claims -65537 nationality and -65538 facility attestation (0x3A…). The DCC is written in place (its bytes
    /// are <paramref name="dcc"/> within the result) rather than encoded apart and copied in with WriteEncodedValue, which
    /// re-parses what it copies; the writer is reused per thread. Both were measurable next to the signature.
    /// </summary>
    internal byte[] EncodeCwt(DateTimeOffset iat, DateTimeOffset exp, VaccinationRecord record, DccMapper.MachineReadableName mrz,
        ReadOnlyMemory<byte>? facilityAttestation, out Range dcc)
    {
        var w = t_cwtWriter ??= new CborWriter(CborConformanceMode.Lax, initialCapacity: 1024);
        w.Reset();
        w.WriteStartMap(facilityAttestation is null ? 5 : 6);
        w.WriteInt32(CwtClaimKeys.Issuer); w.WriteTextString(_settings.Country);
        w.WriteInt32(CwtClaimKeys.Expiry); w.WriteInt64(exp.ToUnixTimeSeconds());
        w.WriteInt32(CwtClaimKeys.IssuedAt); w.WriteInt64(iat.ToUnixTimeSeconds());
        w.WriteInt32(CwtClaimKeys.HealthCertificate);
        w.WriteStartMap(1);
        w.WriteInt32(CwtClaimKeys.EuDcc);
        var dccStart = w.BytesWritten;
        DccMapper.WriteDcc(w, record, _settings, mrz);
        dcc = dccStart..w.BytesWritten;
        w.WriteEndMap();
        w.WriteInt32(CwtClaimKeys.Nationality); w.WriteTextString(record.Nationality);
        if (facilityAttestation is { } fa)
        {
            w.WriteInt32(CwtClaimKeys.FacilityAttestation);
            // Comes from the caller: WriteEncodedValue checks it is one well-formed CBOR item.
            w.WriteEncodedValue(fa.Span);
        }
        w.WriteEndMap();
        return w.Encode();
    }

    [ThreadStatic] private static CborWriter? t_cwtWriter;
}
