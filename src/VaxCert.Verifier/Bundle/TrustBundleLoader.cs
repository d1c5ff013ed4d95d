using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Bundle;
using VaxCert.Core.Chain;
using VaxCert.Core.Dcc;
using VaxCert.Core.Encoding;
using VaxCert.Verifier.Revocation;
using VaxCert.Verifier.Rules;
using VaxCert.Verifier.Trust;

namespace VaxCert.Verifier.Bundle;

/// <summary>
/// Loads signed offline trust bundles for verifier apps. The app pins the anchor(s) (the ministry's CSCA); a bundle is
/// accepted only when it is a COSE_Sign1 with the trust-bundle content type, its signature verifies with the certificate
/// in its protected header, that certificate chains to a pinned anchor, carries the bundle-signing EKU and was valid
/// when the bundle was issued, and the bundle is fresh (issued no later than now + skew, not expired). Everything else is
/// refused with a typed <see cref="BundleFailure"/>. Never throws on hostile bytes.
/// </summary>
public static class TrustBundleLoader
{
    /// <summary>Loads a full bundle from bytes.</summary>
    /// <param name="bundle">The .vxb file's bytes.</param>
    /// <param name="anchors">The pinned anchor certificates (public only).</param>
    /// <param name="options">Clock and skew.</param>
    public static TrustBundleLoadResult Load(ReadOnlyMemory<byte> bundle, IEnumerable<X509Certificate2> anchors, TrustBundleLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        return Open(bundle, anchors.ToList(), options ?? TrustBundleLoadOptions.Default, null);
    }

    /// <summary>Loads a full bundle from a file; an unreadable file is <see cref="BundleFailure.Unreadable"/>.</summary>
    public static TrustBundleLoadResult LoadFile(string path, IEnumerable<X509Certificate2> anchors, TrustBundleLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var o = options ?? TrustBundleLoadOptions.Default;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > TrustBundleFormat.MaxBytes)
                return Refuse(BundleFailure.TooLarge, $"{info.Length} bytes; at most {TrustBundleFormat.MaxBytes}", o.Time.GetUtcNow());
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Refuse(BundleFailure.Unreadable, e.Message, o.Time.GetUtcNow());
        }
        return Load(bytes, anchors, o);
    }

    /// <summary>
    /// Reads pinned anchor certificates from a PEM or DER file. Operator input (the app's own configuration), so a missing
    /// or empty file throws <see cref="TrustListException"/>.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> ReadAnchors(string path)
    {
        if (!File.Exists(path)) throw new TrustListException($"anchor file '{path}' does not exist");
        var anchors = new List<X509Certificate2>();
        foreach (var candidate in TrustListLoader.ReadCertificates(File.ReadAllBytes(path), Path.GetFileName(path)))
        {
            try { anchors.Add(X509CertificateLoader.LoadCertificate(candidate.Der)); }
            catch (CryptographicException e) { throw new TrustListException($"{candidate.Source}: not a readable certificate ({e.Message})"); }
        }
        return anchors.Count > 0 ? anchors : throw new TrustListException($"anchor file '{path}' holds no certificate");
    }

    internal static TrustBundleLoadResult Open(ReadOnlyMemory<byte> bytes, IReadOnlyList<X509Certificate2> anchors,
        TrustBundleLoadOptions options, TrustBundle? current)
    {
        var now = DateTimeOffset.MinValue;
        try
        {
            now = options.Time.GetUtcNow();
            var checkedBundle = Check(bytes, anchors, options, now, out var content, out var signer);
            if (checkedBundle is not null) return checkedBundle;
            var meta = (content!.Sequence, content.IssuedAt, content.ExpiresAt);
            if (current is null)
            {
                if (content.IsDelta)
                    return Refuse(BundleFailure.DeltaBaseMismatch, $"a delta (on sequence {content.BaseSequence}) needs its base bundle", now, meta);
                return Build(content, anchors, options, signer!, now);
            }
            if (content.Sequence <= current.Sequence)
                return Refuse(BundleFailure.Rollback, $"sequence {content.Sequence} is not newer than {current.Sequence} in use", now, meta);
            if (!content.IsDelta) return Build(content, anchors, options, signer!, now);
            if (content.BaseSequence != current.Sequence)
                return Refuse(BundleFailure.DeltaBaseMismatch, $"the delta applies to sequence {content.BaseSequence}, the bundle in use is {current.Sequence}", now, meta);
            if (!TrustBundleDelta.TryApply(current.Content, content, out var merged, out var problem))
                return Refuse(BundleFailure.InvalidContent, problem, now, meta);
            return Build(merged!, anchors, options, signer!, now);
        }
        catch (Exception e)
        {
            // Defence in depth: hostile bytes never escape as an exception.
            return Refuse(BundleFailure.Malformed, "unexpected: " + e.GetType().Name, now);
        }
    }

    // Null when the bundle passes every check (content and signer set); otherwise the refusal.
    // A partition's hashes as 128-bit values, straight from the packed buffer the codec keeps; null when one is not 16 bytes.
    private static UInt128[]? Unpack(IReadOnlyList<byte[]> hashes)
    {
        var values = new UInt128[hashes.Count];
        if (hashes is PackedRevocationHashes packed)
        {
            var bytes = packed.Packed;
            for (var i = 0; i < values.Length; i++)
                values[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(i * RevocationList.BytesPerEntry, RevocationList.BytesPerEntry));
            return values;
        }
        for (var i = 0; i < values.Length; i++)
        {
            if (hashes[i].Length != RevocationList.BytesPerEntry) return null;
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hashes[i]);
        }
        return values;
    }

    private static TrustBundleLoadResult? Check(ReadOnlyMemory<byte> bytes, IReadOnlyList<X509Certificate2> anchors, TrustBundleLoadOptions options,
        DateTimeOffset now, out TrustBundleContent? content, out X509Certificate2? signer)
    {
        content = null;
        signer = null;
        if (bytes.Length == 0) return Refuse(BundleFailure.Malformed, "empty", now);
        if (bytes.Length > TrustBundleFormat.MaxBytes) return Refuse(BundleFailure.TooLarge, $"{bytes.Length} bytes; at most {TrustBundleFormat.MaxBytes}", now);
        if (!CoseSign1Message.TryDecode(bytes, out var message, out var failure))
        {
            return TrustBundleCodec.TryDecode(bytes, out var bare, out _)
                ? Refuse(BundleFailure.Unsigned, "bundle content without a COSE_Sign1 signature", now, (bare!.Sequence, bare.IssuedAt, bare.ExpiresAt))
                : Refuse(BundleFailure.Malformed, "not a COSE_Sign1: " + failure, now);
        }
        if (!TryReadHeader(message!.RawProtectedHeader, out var contentType, out var chain))
            return Refuse(BundleFailure.Malformed, "the protected header cannot be read", now);
        if (contentType != TrustBundleFormat.ContentType)
            return Refuse(BundleFailure.NotABundle, $"content type '{contentType ?? "(none)"}' is not {TrustBundleFormat.ContentType}", now);
        if (message.Signature.Length == 0) return Refuse(BundleFailure.Unsigned, "the signature is empty", now);
        if (chain.Count == 0) return Refuse(BundleFailure.Unsigned, "no signer certificate (x5chain) in the protected header", now);

        X509Certificate2 signerCertificate;
        var intermediates = new List<X509Certificate2>();
        try
        {
            signerCertificate = X509CertificateLoader.LoadCertificate(chain[0]);
            intermediates.AddRange(chain.Skip(1).Select(X509CertificateLoader.LoadCertificate));
        }
        catch (CryptographicException)
        {
            return Refuse(BundleFailure.Malformed, "the signer certificate cannot be read", now);
        }
        using (var key = CoseVerificationKey.FromCertificate(signerCertificate, out var keyProblem))
        {
            if (key is null) return Refuse(BundleFailure.BadSignature, "signer key outside the profile: " + keyProblem, now);
            if (message.Algorithm is not { } alg || !key.Verify(alg, message.ToBeSigned(), message.Signature.Span))
                return Refuse(BundleFailure.BadSignature, "the signature does not verify", now);
        }
        var chainElements = BuildChain(signerCertificate, intermediates, anchors);
        if (chainElements is null) return Refuse(BundleFailure.ForeignSigner, $"'{signerCertificate.Subject}' does not chain to a pinned anchor", now);
        if (!HasBundleSigningEku(signerCertificate))
            return Refuse(BundleFailure.SignerNotAuthorized, $"'{signerCertificate.Subject}' lacks the bundle-signing EKU", now);

        if (!TrustBundleCodec.TryDecode(message.Payload, out content, out var problem))
            return Refuse(BundleFailure.Malformed, "payload: " + problem, now);
        var meta = (content!.Sequence, content.IssuedAt, content.ExpiresAt);
        if (content.FormatVersion != TrustBundleFormat.Version)
            return Refuse(BundleFailure.UnsupportedVersion, $"format version {content.FormatVersion}; this SDK reads {TrustBundleFormat.Version}", now, meta);
        foreach (var element in chainElements)
            if (content.IssuedAt < element.NotBefore.ToUniversalTime() || content.IssuedAt > element.NotAfter.ToUniversalTime())
                return Refuse(BundleFailure.SignerNotValid, $"'{element.Subject}' was not valid at the bundle's issue time", now, meta);
        if (content.IssuedAt > now + options.ClockSkew)
            return Refuse(BundleFailure.NotYetValid, "issued in the future: check the device clock", now, meta);
        if (now - options.ClockSkew > content.ExpiresAt)
            return Refuse(BundleFailure.Expired, $"expired {TrustBundleLoadResult.FormatAge(now - content.ExpiresAt)} ago", now, meta);
        signer = signerCertificate;
        return null;
    }

    // Reads content type (3) and x5chain (33: one bstr or an array of bstr) from the protected header.
    private static bool TryReadHeader(ReadOnlyMemory<byte> raw, out string? contentType, out List<byte[]> chain)
    {
        contentType = null;
        chain = [];
        try
        {
            var r = new CborReader(raw, CborConformanceMode.Lax);
            if (r.PeekState() != CborReaderState.StartMap) return false;
            r.ReadStartMap();
            while (r.PeekState() != CborReaderState.EndMap)
            {
                if (r.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)) { r.SkipValue(); r.SkipValue(); continue; }
                var label = r.ReadInt64();
                if (label == TrustBundleFormat.HeaderContentType && r.PeekState() == CborReaderState.TextString)
                    contentType = CborText.TryRead(r, out var ct) ? ct : null;
                else if (label == TrustBundleFormat.HeaderX5Chain && r.PeekState() == CborReaderState.ByteString)
                    chain.Add(r.ReadByteString());
                else if (label == TrustBundleFormat.HeaderX5Chain && r.PeekState() == CborReaderState.StartArray)
                {
                    r.ReadStartArray();
                    while (r.PeekState() != CborReaderState.EndArray) chain.Add(r.ReadByteString());
                    r.ReadEndArray();
                }
                else r.SkipValue();
            }
            r.ReadEndMap();
            return r.BytesRemaining == 0;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            return false;
        }
    }

    // The chain elements from the signer to a pinned anchor, or null. Time is checked against the bundle's iat separately.
    private static List<X509Certificate2>? BuildChain(X509Certificate2 signer, List<X509Certificate2> intermediates, IReadOnlyList<X509Certificate2> anchors)
    {
        if (anchors.Count == 0) return null;
        if (anchors.Any(a => a.RawData.AsSpan().SequenceEqual(signer.RawData))) return [signer];
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        if (!chain.Build(signer)) return null;
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        // The root must be one of the pinned anchors, byte for byte.
        return anchors.Any(a => a.RawData.AsSpan().SequenceEqual(elements[^1].RawData)) ? elements : null;
    }

    private static bool HasBundleSigningEku(X509Certificate2 certificate)
    {
        try
        {
            return certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
                .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TrustBundleFormat.BundleSigningEku));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static TrustBundleLoadResult Build(TrustBundleContent content, IReadOnlyList<X509Certificate2> anchors, TrustBundleLoadOptions options,
        X509Certificate2 signer, DateTimeOffset now)
    {
        var meta = (content.Sequence, content.IssuedAt, content.ExpiresAt);
        var trustList = TrustList.Create(content.Signers.Select((s, i) => new TrustListCandidate(s.Der, s.Country, $"bundle signer #{i}")),
            content.IssuedAt).WithExpiry(content.ExpiresAt);

        FacilityTrust? facility = null;
        if (content.FacilityCas.Count > 0)
        {
            try
            {
                facility = new FacilityTrust(content.FacilityCas.Select(X509CertificateLoader.LoadCertificate),
                    content.FacilityCertificates.Select(X509CertificateLoader.LoadCertificate), content.FacilityRevoked);
            }
            catch (CryptographicException)
            {
                return Refuse(BundleFailure.InvalidContent, "a facility certificate cannot be read", now, meta);
            }
        }

        var revocations = new PartitionedRevocationList.Builder();
        var hashCount = 0;
        foreach (var list in content.Revocations)
        {
            if (list.KeyId.Length != 8 || HashType(list.HashType) is not { } type || Mode(list.Mode) is not { } mode)
                return Refuse(BundleFailure.InvalidContent, $"revocation list {Convert.ToHexStringLower(list.KeyId)}/{list.HashType}/{list.Mode} is not an EU list", now, meta);
            try { revocations.Publish(list.KeyId, type, mode); }
            catch (ArgumentException e) { return Refuse(BundleFailure.InvalidContent, e.Message, now, meta); }
            var kidHex = Convert.ToHexStringLower(list.KeyId);
            foreach (var partition in list.Partitions)
            {
                var hashes = Unpack(partition.Hashes);
                if (hashes is null || !PartitionedRevocationList.Builder.AllInPartition(hashes, mode, partition.X, partition.Y))
                    return Refuse(BundleFailure.InvalidContent, "a revocation hash lies outside its declared partition", now, meta);
                revocations.AddPartition(new RevocationPartitionKey(kidHex, type, partition.X, partition.Y), hashes, partition.Expires);
                hashCount += hashes.Length;
            }
        }

        if (!ValueSets.Default.TryWith(content.ValueSets, out var valueSets, out var valueSetProblem))
            return Refuse(BundleFailure.InvalidContent, valueSetProblem, now, meta);

        IReadOnlyList<BusinessRule> rules = [];
        if (content.Rules is { } json)
        {
            var read = BusinessRuleReader.Read(json);
            if (!read.Succeeded) return Refuse(BundleFailure.InvalidContent, "rules: " + read.Message, now, meta);
            rules = read.Rules;
        }
        var bundle = new TrustBundle(content, anchors, options, signer.Subject, trustList, facility, revocations.Build(), hashCount, valueSets!, rules);
        return new TrustBundleLoadResult(bundle, BundleFailure.None, null, now, content.Sequence, content.IssuedAt, content.ExpiresAt);
    }

    private static RevocationHashType? HashType(string name) => name switch
    {
        TrustBundleFormat.HashUci => RevocationHashType.Uci,
        TrustBundleFormat.HashCountryCodeUci => RevocationHashType.CountryCodeUci,
        TrustBundleFormat.HashSignature => RevocationHashType.Signature,
        _ => null,
    };

    private static RevocationPartitionMode? Mode(string name) => name switch
    {
        TrustBundleFormat.ModePoint => RevocationPartitionMode.Point,
        TrustBundleFormat.ModeVector => RevocationPartitionMode.Vector,
        TrustBundleFormat.ModeCoordinate => RevocationPartitionMode.Coordinate,
        _ => null,
    };

    private static TrustBundleLoadResult Refuse(BundleFailure failure, string? message, DateTimeOffset now,
        (long Sequence, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)? meta = null)
        => new(null, failure, message, now, meta?.Sequence, meta?.IssuedAt, meta?.ExpiresAt);
}
