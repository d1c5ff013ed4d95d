import { LIMITS, VerifyError } from './limits.js';

/** A CBOR tag with its content. */
export class Tagged {
  constructor(tag, value) { this.tag = tag; this.value = value; }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one CBOR item (RFC 8949) that must fill `bytes` exactly. Maps become Map (duplicate keys refused), byte
 * strings Uint8Array, tags Tagged. Only definite lengths and integers up to 2^53; depth and item count are capped.
 * Throws VerifyError(`reason`, ...) so each caller names the structure that was malformed.
 */
export function decodeCbor(bytes, reason = 'CborInvalid') {
  let pos = 0;
  let items = 0;
  const fail = (why) => { throw new VerifyError(reason, why); };
  const need = (n) => { if (n > bytes.length - pos) fail('truncated'); };

  function readArgument(info) {
    if (info < 24) return info;
    const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!size) fail(info === 31 ? 'indefinite length not supported' : 'reserved additional information');
    need(size);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[pos++];
    if (!Number.isSafeInteger(n)) fail('integer too large');
    return n;
  }

  function readFloat(info) {
    const size = { 25: 2, 26: 4, 27: 8 }[info];
    need(size);
    const view = new DataView(bytes.buffer, bytes.byteOffset + pos, size);
    pos += size;
    if (size === 4) return view.getFloat32(0);
    if (size === 8) return view.getFloat64(0);
    const h = view.getUint16(0), exp = (h >> 10) & 0x1f, mant = h & 0x3ff, sign = h & 0x8000 ? -1 : 1;
    if (exp === 0) return sign * mant * 2 ** -24;
    if (exp === 31) return mant ? NaN : sign * Infinity;
    return sign * (mant + 1024) * 2 ** (exp - 25);
  }

  function readItem(depth) {
    if (depth > LIMITS.maxCborDepth) throw new VerifyError(reason === 'CborInvalid' ? 'CborTooDeep' : reason, 'too deep');
    if (++items > LIMITS.maxCborItems) fail('too many items');
    need(1);
    const initial = bytes[pos++];
    const major = initial >> 5, info = initial & 0x1f;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 23) return undefined;
      if (info >= 25 && info <= 27) return readFloat(info);
      fail('unsupported simple value');
    }
    const n = readArgument(info);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: need(n); pos += n; return bytes.slice(pos - n, pos);
      case 3: {
        need(n); pos += n;
        try { return utf8.decode(bytes.subarray(pos - n, pos)); } catch { fail('invalid UTF-8'); }
        break;
      }
      case 4: {
        if (n > bytes.length - pos) fail('array longer than input');
        const a = [];
        for (let i = 0; i < n; i++) a.push(readItem(depth + 1));
        return a;
      }
      case 5: {
        if (n * 2 > bytes.length - pos) fail('map longer than input');
        const m = new Map();
        for (let i = 0; i < n; i++) {
          const k = readItem(depth + 1);
          if (typeof k !== 'number' && typeof k !== 'string') fail('map key not an integer or text');
          if (m.has(k)) fail('duplicate map key');
          m.set(k, readItem(depth + 1));
        }
        return m;
      }
      case 6: return new Tagged(n, readItem(depth + 1));
    }
    return fail('unreachable');
  }

  const value = readItem(0);
  if (pos !== bytes.length) fail('trailing bytes');
  return value;
}

function head(major, n) {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** COSE Sig_structure for COSE_Sign1: ["Signature1", protected, h'', payload] (RFC 9052 §4.4). */
export function sigStructure(protectedBytes, payload) {
  const context = new TextEncoder().encode('Signature1');
  const parts = [
    [0x84],
    head(3, context.length), context,
    head(2, protectedBytes.length), protectedBytes,
    [0x40],
    head(2, payload.length), payload,
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** A CBOR map (Map) as a plain JSON-like value, for display of the DCC; byte strings become null. */
export function toPlain(value, depth = 0) {
  if (depth > LIMITS.maxCborDepth) return null;
  if (value instanceof Map) {
    const o = Object.create(null);
    for (const [k, v] of value) o[String(k)] = toPlain(v, depth + 1);
    return o;
  }
  if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1));
  if (value instanceof Tagged) return toPlain(value.value, depth + 1);
  if (value instanceof Uint8Array) return null;
  return value;
}
