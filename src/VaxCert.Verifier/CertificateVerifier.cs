using System.Text.Json.Nodes;
using VaxCert.Core.Dcc;
using VaxCert.Core.Decoding;
using VaxCert.Core.Encoding;
using VaxCert.Core.Model;
using VaxCert.Core.Signing;
using VaxCert.Verifier.Checks;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Schema;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier;

/// <summary>
/// Verifies HC1 QR texts against a trust-list snapshot. Thread-safe and reusable; build one per trust-list refresh.
/// <see cref="Verify(string)"/> never throws on untrusted input: every failure becomes a <see cref="ReasonCode"/>, and an
/// unexpected exception becomes Indeterminate/<see cref="ReasonCode.InternalError"/>. Valid is answered only when the
/// signature, key usage, signer validity and time window checks and every enabled optional stage ran and passed.
/// </summary>
public sealed class CertificateVerifier
{
    private static readonly int StageCount = Enum.GetValues<VerificationStage>().Length;

    private readonly VerifierOptions _options;
    private readonly ValueSetCheck? _valueSets;

    /// <summary>A verifier over <paramref name="trustList"/>.</summary>
    public CertificateVerifier(TrustList trustList, VerifierOptions? options = null)
    {
        TrustList = trustList ?? throw new ArgumentNullException(nameof(trustList));
        _options = options ?? VerifierOptions.Default;
        if (_options.ClockSkew < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "ClockSkew must not be negative");
        _valueSets = _options.CheckValueSets ? new ValueSetCheck(_options.ValueSets) : null;
    }

    /// <summary>The trust-list snapshot in use.</summary>
    public TrustList TrustList { get; }

    /// <summary>The options in use.</summary>
    public VerifierOptions Options => _options;

    /// <summary>Verifies one QR text ("HC1:..."). A null text is treated as empty.</summary>
    public VerificationResult Verify(string? qrText) => Verify((qrText ?? "").AsSpan());

    /// <summary>Verifies one QR text without copying it first.</summary>
    public VerificationResult Verify(ReadOnlySpan<char> qrText)
    {
        var stages = new StageResult[StageCount];
        for (var i = 0; i < stages.Length; i++) stages[i] = new StageResult((VerificationStage)i, StageStatus.NotRun, ReasonCode.None);
        var now = DateTimeOffset.MinValue;
        try
        {
            now = _options.Time.GetUtcNow();
            return Run(qrText, now, stages);
        }
        catch (Exception)
        {
            // Whatever went wrong, the answer is "no decision", never Valid, and nothing escapes to the caller.
            return new VerificationResult(VerificationOutcome.Indeterminate, ReasonCode.InternalError, stages, null, null, now);
        }
    }

    private VerificationResult Run(ReadOnlySpan<char> qrText, DateTimeOffset now, StageResult[] stages)
    {
        var decoded = Hc1Decoder.Decode(qrText, _options.Decoding);
        if (!decoded.Success)
        {
            var failed = FailedDecodeStage(decoded);
            for (var s = VerificationStage.Input; s < failed; s++) Pass(stages, s);
            Fail(stages, failed, ReasonCodeText.FromDecode(decoded.Failure));
            return Finish(stages, now, null, null);
        }
        for (var s = VerificationStage.Input; s <= VerificationStage.Payload; s++) Pass(stages, s);

        var message = decoded.Message!;
        var claims = decoded.Claims!;
        var dcc = decoded.Dcc!;
        var type = DccTypeReader.Read(dcc);

        // The signature first: a certificate whose signature fails is Invalid whatever its content.
        var signer = CheckSigner(message, type, claims.IssuedAt, stages);
        CheckTime(claims, now, stages);
        VaccinationRecord? record = null;
        try
        {
            record = CheckContent(dcc, type, claims.Nationality, stages);
            if (_options.CheckSchema) CheckSchema(dcc, type, stages);
            if (_valueSets is not null)
                Record(stages, VerificationStage.ValueSets, _valueSets.Validate(dcc, out _) ? ReasonCode.None : ReasonCode.ValueSetViolation);
            if (_options.Policy is { } policy)
                Record(stages, VerificationStage.Policy, policy.Validate(dcc, type, out _) ? ReasonCode.None : ReasonCode.PolicyViolation);
            if (_options.Revocation is { } revocation)
                Record(stages, VerificationStage.Revocation, IsRevoked(revocation, message, claims, dcc) ? ReasonCode.Revoked : ReasonCode.None);
        }
        catch (Exception) when (signer is null)
        {
            // The content stages of a forged certificate only inform diagnostics; whatever they hit, the answer stays
            // the signature failure (never Indeterminate for a keyless forgery).
        }
        var certificate = new DecodedCertificate(dcc, claims.Issuer, claims.IssuedAt, claims.ExpiresAt, claims.Nationality, type, record);
        if (signer is not null && _options.AdditionalChecks.Count > 0 && FirstFailure(stages) is null)
            RunAdditional(new AdditionalCheckContext(certificate, message, claims, signer, now), stages);
        return Finish(stages, now, certificate, signer);
    }

    private static VaccinationRecord? CheckContent(JsonObject dcc, DccTypes type, string? nationality, StageResult[] stages)
    {
        Record(stages, VerificationStage.Content,
            ContentCheck.Validate(dcc, type, nationality, out var record) ? ReasonCode.None : ReasonCode.DccContentInvalid);
        return record;
    }

    private static VerificationStage FailedDecodeStage(DecodedHc1 decoded) => decoded.Failure switch
    {
        DecodeFailure.InputTooLong => VerificationStage.Input,
        DecodeFailure.PrefixMissing or DecodeFailure.PrefixUnsupported => VerificationStage.Prefix,
        _ when decoded.Compressed is null => VerificationStage.Base45,
        _ when decoded.Cose is null => VerificationStage.Decompression,
        _ when decoded.Message is null => VerificationStage.Cose,
        _ => VerificationStage.Payload,
    };

    // Signature, key usage and signer validity. Every trusted certificate with the kid is tried (kids may collide);
    // among those that verify, one that also passes key usage, validity and chain at iat is preferred.
    private TrustedSigner? CheckSigner(CoseSign1Message message, DccTypes type, DateTimeOffset? iat, StageResult[] stages)
    {
        var alg = message.Algorithm;
        if (alg is not ((int)CoseAlgorithm.ES256 or (int)CoseAlgorithm.PS256))
        {
            Fail(stages, VerificationStage.Signature, ReasonCode.AlgorithmUnsupported);
            return null;
        }
        if (message.KeyId is not { } kid)
        {
            Fail(stages, VerificationStage.Signature, ReasonCode.KidMissing);
            return null;
        }
        var candidates = TrustList.FindArray(kid);
        if (candidates.Length == 0)
        {
            Fail(stages, VerificationStage.Signature, ReasonCode.KidUnknown);
            return null;
        }
        var toBeSigned = message.ToBeSigned();
        TrustedSigner? best = null;
        var bestScore = -1;
        foreach (var candidate in candidates)
        {
            if (candidate.Key is not { } key || !key.Verify(alg.Value, toBeSigned, message.Signature.Span)) continue;
            var score = (AllowsType(candidate, type) ? 2 : 0) + (iat is { } t && candidate.IsValidAt(t) && candidate.Chain.HoldsAt(t) ? 1 : 0);
            if (score > bestScore) { best = candidate; bestScore = score; }
        }
        if (best is null)
        {
            Fail(stages, VerificationStage.Signature, ReasonCode.SignatureInvalid);
            return null;
        }
        Pass(stages, VerificationStage.Signature);
        Record(stages, VerificationStage.KeyUsage, AllowsType(best, type) ? ReasonCode.None : ReasonCode.KeyUsageMismatch);
        if (iat is { } issuedAt)
            Record(stages, VerificationStage.SignerValidity, !best.IsValidAt(issuedAt) ? ReasonCode.SignerNotValidAtIssuance
                : !best.Chain.HoldsAt(issuedAt) ? ReasonCode.SignerChainInvalid : ReasonCode.None);
        return best;
    }

    // A certificate of no single type (none or several of v/t/r) passes only a signer without restrictions.
    private static bool AllowsType(TrustedSigner signer, DccTypes type)
        => type == DccTypes.None ? signer.AllowedTypes == DccTypes.All : (signer.AllowedTypes & type) != 0;

    private void CheckTime(CwtClaims claims, DateTimeOffset now, StageResult[] stages)
    {
        var skew = _options.ClockSkew;
        var reason = claims.IssuedAt is not { } iat || claims.ExpiresAt is not { } exp ? ReasonCode.CwtTimeMissing
            : iat > now + skew ? ReasonCode.CwtNotYetValid
            : now - skew > exp ? ReasonCode.CwtExpired
            : ReasonCode.None;
        Record(stages, VerificationStage.Expiration, reason);
    }

    private static void CheckSchema(JsonObject dcc, DccTypes type, StageResult[] stages)
    {
        var reason = !DccSchemas.Validate(dcc, out _) ? ReasonCode.SchemaInvalid
            : type == DccTypes.None ? ReasonCode.DccTypeAmbiguous
            : ReasonCode.None;
        Record(stages, VerificationStage.Schema, reason);
    }

    private static bool IsRevoked(RevocationList list, CoseSign1Message message, CwtClaims claims, JsonObject dcc)
    {
        if (list.Contains(RevocationHashType.Signature, RevocationHashes.Signature(message.Algorithm ?? 0, message.Signature.Span)))
            return true;
        if (Uci(dcc) is not { } uci) return false;
        return list.Contains(RevocationHashType.Uci, RevocationHashes.Uci(uci))
               || (claims.Issuer is { } iss && list.Contains(RevocationHashType.CountryCodeUci, RevocationHashes.CountryCodeUci(iss, uci)));
    }

    private static string? Uci(JsonObject dcc)
    {
        foreach (var group in (ReadOnlySpan<string>)["v", "t", "r"])
            if (dcc[group] is JsonArray { Count: > 0 } a && a[0] is JsonObject e && e["ci"] is JsonValue v && v.TryGetValue(out string? ci))
                return ci;
        return null;
    }

    private void RunAdditional(AdditionalCheckContext context, StageResult[] stages)
    {
        foreach (var check in _options.AdditionalChecks)
        {
            var reason = check.Check(context);
            if (reason != ReasonCode.None)
            {
                Fail(stages, VerificationStage.Additional, reason);
                return;
            }
        }
        Pass(stages, VerificationStage.Additional);
    }

    private VerificationResult Finish(StageResult[] stages, DateTimeOffset now, DecodedCertificate? certificate, TrustedSigner? signer)
    {
        var expired = TrustList.ExpiresAt is { } expiresAt && now - _options.ClockSkew > expiresAt;
        var tooOld = _options.MaxTrustListAge is { } maxAge && now - TrustList.IssuedAt > maxAge;
        var stale = expired || tooOld;
        var staleReason = expired ? ReasonCode.TrustListExpired : ReasonCode.TrustListTooOld;
        if (_options.MaxTrustListAge is not null || TrustList.ExpiresAt is not null)
            Record(stages, VerificationStage.TrustList, stale ? staleReason : ReasonCode.None);
        var first = FirstFailure(stages);
        ReasonCode reason;
        if (first is { } f && !(stale && f.Reason == ReasonCode.KidUnknown && f.Stage == VerificationStage.Signature))
            reason = f.Reason; // a broken or forged certificate is invalid whatever the age of the trust list
        else if (stale)
            reason = staleReason; // an unknown kid may be a signer newer than the list: no decision
        else if (!MandatoryStagesPassed(stages))
            reason = ReasonCode.InternalError; // defence in depth: nothing unchecked is ever Valid
        else
            reason = ReasonCode.None;
        return new VerificationResult(reason.DefaultOutcome(), reason, stages, certificate, signer?.Info, now, now - TrustList.IssuedAt);
    }

    private bool MandatoryStagesPassed(StageResult[] stages)
    {
        for (var s = VerificationStage.Input; s <= VerificationStage.Expiration; s++)
            if (!stages[(int)s].Passed) return false;
        return stages[(int)VerificationStage.Content].Passed
               && (!_options.CheckSchema || stages[(int)VerificationStage.Schema].Passed)
               && (_valueSets is null || stages[(int)VerificationStage.ValueSets].Passed)
               && (_options.Policy is null || stages[(int)VerificationStage.Policy].Passed)
               && (_options.Revocation is null || stages[(int)VerificationStage.Revocation].Passed)
               && (_options.AdditionalChecks.Count == 0 || stages[(int)VerificationStage.Additional].Passed);
    }

    // Content was appended to the enum (stage numbers are public) but is reported right after Schema.
    private static readonly VerificationStage[] ReportOrder =
    [
        VerificationStage.Input, VerificationStage.Prefix, VerificationStage.Base45, VerificationStage.Decompression,
        VerificationStage.Cose, VerificationStage.Payload, VerificationStage.Signature, VerificationStage.KeyUsage,
        VerificationStage.SignerValidity, VerificationStage.Expiration, VerificationStage.Schema, VerificationStage.Content,
        VerificationStage.ValueSets, VerificationStage.Policy, VerificationStage.Revocation, VerificationStage.Additional,
    ];

    private static StageResult? FirstFailure(StageResult[] stages)
    {
        foreach (var stage in ReportOrder)
            if (stages[(int)stage].Failed) return stages[(int)stage];
        return null;
    }

    private static void Record(StageResult[] stages, VerificationStage stage, ReasonCode reason)
    {
        if (reason == ReasonCode.None) Pass(stages, stage);
        else Fail(stages, stage, reason);
    }

    private static void Pass(StageResult[] stages, VerificationStage stage)
        => stages[(int)stage] = new StageResult(stage, StageStatus.Passed, ReasonCode.None);

    private static void Fail(StageResult[] stages, VerificationStage stage, ReasonCode reason)
        => stages[(int)stage] = new StageResult(stage, StageStatus.Failed, reason);
}
