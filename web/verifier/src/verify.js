import { LIMITS, VerifyError } from './limits.js';
import { base45Decode } from './base45.js';
import { inflateZlib } from './zlib.js';
import { decodeCbor, sigStructure, toPlain, Tagged } from './cbor.js';
import { hex } from './trust.js';
import { outcomeOf } from './reasons.js';

const ALG_ES256 = -7, ALG_PS256 = -37;
const CLAIM_ISS = 1, CLAIM_EXP = 4, CLAIM_IAT = 6, CLAIM_HCERT = -260, CLAIM_NATIONALITY = -65537;

/** COSE_Sign1 from bytes: tag 18, 61(18) or untagged 4-array [protected bstr, unprotected map, payload bstr, sig bstr]. */
function parseCose(bytes) {
  let item = decodeCbor(bytes, 'CoseInvalid');
  if (item instanceof Tagged && item.tag === 61) item = item.value;
  if (item instanceof Tagged && item.tag === 18) item = item.value;
  if (!Array.isArray(item) || item.length !== 4) throw new VerifyError('CoseInvalid', 'not a COSE_Sign1 array');
  const [protectedBytes, unprotected, payload, signature] = item;
  if (!(protectedBytes instanceof Uint8Array) || !(unprotected instanceof Map) || !(payload instanceof Uint8Array)
      || !(signature instanceof Uint8Array)) throw new VerifyError('CoseInvalid', 'wrong element types');
  const header = protectedBytes.length ? decodeCbor(protectedBytes, 'CoseHeaderInvalid') : new Map();
  if (!(header instanceof Map)) throw new VerifyError('CoseHeaderInvalid', 'protected header not a map');
  const alg = header.has(1) ? header.get(1) : unprotected.get(1);
  const kid = header.has(4) ? header.get(4) : unprotected.get(4);
  if (alg !== undefined && typeof alg !== 'number') throw new VerifyError('CoseHeaderInvalid', 'alg not an integer');
  if (kid !== undefined && !(kid instanceof Uint8Array)) throw new VerifyError('CoseHeaderInvalid', 'kid not a byte string');
  return { protectedBytes, payload, signature, alg, kid };
}

function parseClaims(payload) {
  const claims = decodeCbor(payload, 'CwtInvalid');
  if (!(claims instanceof Map)) throw new VerifyError('CwtInvalid', 'not a claims map');
  const iss = claims.get(CLAIM_ISS), exp = claims.get(CLAIM_EXP), iat = claims.get(CLAIM_IAT);
  if (iss !== undefined && typeof iss !== 'string') throw new VerifyError('CwtClaimInvalid', 'iss');
  for (const t of [exp, iat]) if (t !== undefined && typeof t !== 'number') throw new VerifyError('CwtClaimInvalid', 'iat/exp');
  const hcert = claims.get(CLAIM_HCERT);
  if (!(hcert instanceof Map) || !hcert.has(1)) throw new VerifyError('HcertMissing');
  const dcc = hcert.get(1);
  if (!(dcc instanceof Map)) throw new VerifyError('DccInvalid', 'not a map');
  const nationality = claims.get(CLAIM_NATIONALITY);
  return { iss, exp, iat, nationality: typeof nationality === 'string' ? nationality : null, dcc: toPlain(dcc) };
}

async function signatureVerifies(signer, alg, signature, data) {
  if (alg === ALG_ES256 && signer.keyType === 'EC-P256')
    return signature.length === 64 && crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, signer.key, signature, data);
  if (alg === ALG_PS256 && signer.keyType === 'RSA')
    return crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, signer.key, signature, data);
  return false;
}

function dccType(dcc) {
  const present = ['v', 't', 'r'].filter((k) => Array.isArray(dcc[k]) && dcc[k].length > 0);
  return present.length === 1 ? present[0] : null;
}

const result = (reason, extra = {}) => ({ outcome: outcomeOf(reason), reason, ...extra });

/**
 * Verifies HC1 text against a trust list at `now` (Unix seconds). Never throws: every failure is a typed reason.
 * The decoded data (claims, dcc) is returned whenever it could be decoded, so that an INVALID answer can still show
 * what the code claims, marked as untrusted.
 */
export async function verifyHc1(input, trust, now = Date.now() / 1000) {
  let decoded = {};
  try {
    const text = String(input).trim();
    if (text.length > LIMITS.maxHc1Length) return result('InputTooLong');
    if (!/^[A-Z0-9]{2,3}:/.test(text)) return result('PrefixMissing');
    if (!text.startsWith('HC1:')) return result('PrefixUnsupported');
    const cose = parseCose(await inflateZlib(base45Decode(text.slice(4))));
    decoded = parseClaims(cose.payload);
    const type = dccType(decoded.dcc);
    if (cose.alg !== ALG_ES256 && cose.alg !== ALG_PS256) return result('AlgorithmUnsupported', decoded);
    if (!cose.kid) return result('KidMissing', decoded);
    if (!trust || trust.count === 0) return result('TrustListMissing', decoded);

    const candidates = trust.signers.get(hex(cose.kid)) || [];
    if (!candidates.length) return result('KidUnknown', decoded);
    const data = sigStructure(cose.protectedBytes, cose.payload);
    let signer = null;
    for (const c of candidates) if (await signatureVerifies(c, cose.alg, cose.signature, data)) { signer = c; break; }
    if (!signer) return result('SignatureInvalid', decoded);
    const extra = { ...decoded, signer: { commonName: signer.commonName, country: signer.country, kid: signer.kid } };

    if (type && !signer.types.has(type)) return result('KeyUsageMismatch', extra);
    if (decoded.iat === undefined || decoded.exp === undefined) return result('CwtTimeMissing', extra);
    if (decoded.iat < signer.notBefore || decoded.iat > signer.notAfter) return result('SignerNotValidAtIssuance', extra);
    if (now - LIMITS.clockSkewSeconds > decoded.exp) return result('CwtExpired', extra);
    if (decoded.iat > now + LIMITS.clockSkewSeconds) return result('CwtNotYetValid', extra);
    if (!type) return result('DccTypeAmbiguous', extra);
    return result('None', extra);
  } catch (e) {
    if (e instanceof VerifyError) return result(e.reason, decoded);
    return result('InternalError', decoded);
  }
}
