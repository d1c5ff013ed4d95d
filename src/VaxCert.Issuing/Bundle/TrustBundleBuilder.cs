using System.Formats.Cbor;
using VaxCert.Core.Bundle;
using VaxCert.Core.Encoding;
using VaxCert.Core.Signing;

namespace VaxCert.Issuing.Bundle;

/// <summary>
/// Signs offline trust bundles (issuer side): the CBOR content in a COSE_Sign1 whose protected header holds
/// {1: alg, 3: content type, 4: kid, 33: the bundle signer's certificate}. The signer's certificate must chain to the
/// anchor verifier apps pin and carry <see cref="TrustBundleFormat.BundleSigningEku"/>; the verifier SDK refuses anything
/// else (VaxCert.Verifier.Bundle.TrustBundleLoader). Works with any <see cref="ICoseSigner"/> (file key or token).
/// </summary>
public static class TrustBundleBuilder
{
    /// <summary>The signed bundle bytes (a tagged COSE_Sign1).</summary>
    public static byte[] Sign(TrustBundleContent content, ICoseSigner signer)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(signer);
        if (content.ExpiresAt <= content.IssuedAt) throw new ArgumentException("a bundle must expire after it is issued", nameof(content));
        var payload = TrustBundleCodec.Encode(content);
        var protectedHeader = ProtectedHeader(signer);
        var signature = signer.Sign(CoseSign1.BuildToBeSigned(protectedHeader, payload));
        return CoseSign1.Encode(protectedHeader, payload, signature);
    }

    /// <summary>The delta from <paramref name="previous"/> to <paramref name="next"/>, signed.</summary>
    public static byte[] SignDelta(TrustBundleContent previous, TrustBundleContent next, ICoseSigner signer)
        => Sign(TrustBundleDelta.Diff(previous, next), signer);

    private static byte[] ProtectedHeader(ICoseSigner signer)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(4);
        w.WriteInt32(1);
        w.WriteInt32((int)signer.Algorithm);
        w.WriteInt32(TrustBundleFormat.HeaderContentType);
        w.WriteTextString(TrustBundleFormat.ContentType);
        w.WriteInt32(4);
        w.WriteByteString(signer.KeyId.Span);
        w.WriteInt32(TrustBundleFormat.HeaderX5Chain);
        w.WriteByteString(signer.Certificate.RawData);
        w.WriteEndMap();
        return w.Encode();
    }
}
