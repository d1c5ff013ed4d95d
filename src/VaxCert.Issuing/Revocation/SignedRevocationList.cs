using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;
using VaxCert.Verifier.Revocation;

namespace VaxCert.Issuing.Revocation;

/// <summary>
/// A revocation list as published: COSE_Sign1 (tag 18, protected {1: alg, 4: kid}) over <see cref="RevocationListDocument.Encode"/>,
/// signed through the issuer's signing seam (<see cref="ICoseSigner"/>: the DSC's token key by default, or a dedicated
/// list-signing key). The consumer's side is the verifier SDK's <see cref="RevocationListReader"/>.
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
}
