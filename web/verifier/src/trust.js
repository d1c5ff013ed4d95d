import { LIMITS } from './limits.js';
import { parseCertificate, allowedTypes } from './x509.js';

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function base64ToBytes(b64) {
  const bin = atob(b64.replace(/\s+/g, ''));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** DER blobs from a PEM bundle or an EU gateway trust-list JSON array ({kid, certificateType, rawData}). */
export function certificatesFromText(textContent) {
  const trimmed = textContent.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed);
    const entries = Array.isArray(json) ? json : Array.isArray(json.certificates) ? json.certificates : null;
    if (!entries) throw new Error('JSON is neither a gateway trust-list array nor {"certificates": [...]}');
    return entries
      .filter((e) => e && typeof e.rawData === 'string' && (e.certificateType === undefined || e.certificateType === 'DSC'))
      .map((e) => ({ rawData: e.rawData, declaredKid: typeof e.kid === 'string' ? e.kid : null }));
  }
  const blocks = [...trimmed.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)];
  if (!blocks.length) throw new Error('no CERTIFICATE block and not JSON');
  return blocks.map((m) => ({ rawData: m[1], declaredKid: null }));
}

async function importKey(info) {
  if (info.keyType === 'EC-P256')
    return crypto.subtle.importKey('spki', info.spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  if (info.keyType === 'RSA')
    return crypto.subtle.importKey('spki', info.spki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
  throw new Error('key type not supported (ES256 P-256 or RSA only)');
}

/**
 * Builds a trust list: { label, signers: Map(kidHex → [signer]), count, problems: string[] }. A bad entry is skipped
 * and listed in problems; it never blocks the others. Indexed by kid = SHA-256(DER)[0..8] and by a declared kid.
 */
export async function buildTrustList(entries, label) {
  const signers = new Map();
  const problems = [];
  let count = 0;
  for (const [i, entry] of entries.slice(0, LIMITS.maxTrustEntries).entries()) {
    try {
      const der = base64ToBytes(entry.rawData);
      if (der.length > LIMITS.maxCertificateBytes) throw new Error('certificate too large');
      const info = parseCertificate(der);
      const key = await importKey(info);
      const kid = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', der)).subarray(0, 8));
      const signer = { ...info, key, kid, types: allowedTypes(info.ekus) };
      const kids = new Set([kid]);
      if (entry.declaredKid) {
        try { kids.add(hex(base64ToBytes(entry.declaredKid))); } catch { /* a bad declared kid only loses that index */ }
      }
      for (const k of kids) signers.set(k, [...(signers.get(k) || []), signer]);
      count++;
    } catch (e) {
      problems.push(`entry ${i + 1}: ${e && e.message}`);
    }
  }
  if (entries.length > LIMITS.maxTrustEntries) problems.push(`only the first ${LIMITS.maxTrustEntries} entries were read`);
  return { label, signers, count, problems };
}

/** A trust list from a file the officer selected (PEM bundle or gateway JSON). Throws Error with a short message. */
export async function trustListFromFile(file) {
  if (file.size > LIMITS.maxTrustFileBytes) throw new Error('file too large for a trust list');
  return buildTrustList(certificatesFromText(await file.text()), file.name);
}
