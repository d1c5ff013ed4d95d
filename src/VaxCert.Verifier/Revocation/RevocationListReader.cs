using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Verifier.Revocation;

/// <summary>
/// The verifier's side of a signed revocation list (COSE_Sign1, protected {1: alg, 4: kid}, over
/// <see cref="RevocationListDocument.Encode"/>): signature first, then the payload; typed failures only, never an exception
/// for hostile bytes. A list is trusted when one of the given signers (matched by kid) verifies it; by default the issuer
/// signs lists with its document signer, so a trust list's DSCs are the usual list signers.
/// </summary>
public static class RevocationListReader
{
    /// <summary>Most bytes a signed list may have (64 Mi entries of 16 bytes plus headers).</summary>
    public const long MaxSignedBytes = RevocationListDocument.MaxEntries * RevocationList.BytesPerEntry + 16 * 1024 * 1024;

    /// <summary>Verifies a signed list against <paramref name="trustedSigners"/> (matched by kid) and decodes it.</summary>
    public static RevocationListDocument? TryOpen(ReadOnlyMemory<byte> signed, IEnumerable<X509Certificate2> trustedSigners,
        out RevocationListFailure failure)
    {
        ArgumentNullException.ThrowIfNull(trustedSigners);
        if (signed.Length > MaxSignedBytes || !CoseSign1Message.TryDecode(signed, out var message, out _) || message is null)
        {
            failure = RevocationListFailure.NotCoseSign1;
            return null;
        }
        var candidates = message.KeyId is { } kid ? trustedSigners.Where(c => KeyIdentifier.For(c).AsSpan().SequenceEqual(kid)).ToList() : [];
        if (candidates.Count == 0)
        {
            failure = RevocationListFailure.UnknownSigner;
            return null;
        }
        if (!candidates.Any(message.VerifySignature))
        {
            failure = RevocationListFailure.SignatureInvalid;
            return null;
        }
        return RevocationListDocument.TryDecode(message.Payload, out failure);
    }

    /// <summary>
    /// Opens a full list and applies each delta in order (each verified the same way): the list a verifier holds after an
    /// update. The first failure stops and is returned with null.
    /// </summary>
    public static RevocationListDocument? TryOpenWithDeltas(ReadOnlyMemory<byte> full, IEnumerable<ReadOnlyMemory<byte>> deltas,
        IReadOnlyCollection<X509Certificate2> trustedSigners, out RevocationListFailure failure)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var list = TryOpen(full, trustedSigners, out failure);
        if (list is null) return null;
        if (list.IsDelta)
        {
            failure = RevocationListFailure.DeltaGap; // a delta alone is not a list: it needs the full list it applies to
            return null;
        }
        foreach (var bytes in deltas)
        {
            var delta = TryOpen(bytes, trustedSigners, out failure);
            if (delta is null) return null;
            list = list.Apply(delta, out failure);
            if (list is null) return null;
        }
        return list;
    }
}
