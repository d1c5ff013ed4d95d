using System.Security.Cryptography.X509Certificates;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Issuing.Revocation;

/// <summary>
/// A revocation list as published: COSE_Sign1 (tag 18, protected {1: alg, 4: kid}) over <see cref="RevocationListDocument.Encode"/>,
/// signed through the issuer's signing seam (<see cref="ICoseSigner"/>: the DSC's token key by default, or a dedicated
/// list-signing key). <see cref="TryOpen"/> is the consumer's side: signature first, then the payload, typed failures only.
/// </summary>
public static class SignedRevocationList
{
    /// <summary>Signs the list; waits for a pooled token session asynchronously when the signer has one.</summary>
    /// <exception cref="SigningException">The key cannot sign.</exception>
    public static async Task<byte[]> SignAsync(RevocationListDocument document, ICoseSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(signer);
        var payload = document.Encode();
        var protectedHeader = CoseSign1.EncodeProtectedHeader(signer.Algorithm, signer.KeyId.Span);
        var signature = await signer.SignAsync(CoseSign1.BuildToBeSigned(protectedHeader, payload), cancellationToken).ConfigureAwait(false);
        return CoseSign1.Encode(protectedHeader, payload, signature);
    }

    /// <summary>
    /// Verifies a signed list against the trusted list signers (matched by kid) and decodes it. Never throws for bad input.
    /// </summary>
    public static RevocationListDocument? TryOpen(ReadOnlyMemory<byte> signed, IEnumerable<X509Certificate2> trustedSigners,
        out RevocationListFailure failure)
    {
        ArgumentNullException.ThrowIfNull(trustedSigners);
        if (!CoseSign1Message.TryDecode(signed, out var message, out _) || message is null)
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
}
