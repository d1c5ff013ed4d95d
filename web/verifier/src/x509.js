// Just enough DER to use a DSC certificate: its public key (SPKI, for WebCrypto), validity, subject and EKU.
// The certificate's own signature is not checked here: the trust list is the officer's chosen source of truth.

class DerError extends Error {}

function readTlv(bytes, pos, end) {
  if (pos + 2 > end) throw new DerError('truncated');
  const tag = bytes[pos];
  let len = bytes[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count < 1 || count > 3 || start + count > end) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + bytes[start + i];
    start += count;
  }
  if (start + len > end) throw new DerError('length past end');
  return { tag, start, end: start + len, headerStart: pos };
}

function children(bytes, tlv) {
  const out = [];
  for (let p = tlv.start; p < tlv.end;) {
    const c = readTlv(bytes, p, tlv.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

function oid(bytes, tlv) {
  const parts = [];
  let n = 0;
  for (let i = tlv.start; i < tlv.end; i++) {
    n = n * 128 + (bytes[i] & 0x7f);
    if (!(bytes[i] & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

function text(bytes, tlv) {
  return new TextDecoder('utf-8').decode(bytes.subarray(tlv.start, tlv.end));
}

function time(bytes, tlv) {
  const s = text(bytes, tlv);
  const m = tlv.tag === 0x17 ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) throw new DerError('bad time');
  let year = Number(m[1]);
  if (tlv.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
}

function nameAttributes(bytes, nameTlv) {
  const attrs = {};
  for (const set of children(bytes, nameTlv))
    for (const atv of children(bytes, set)) {
      const [type, value] = children(bytes, atv);
      attrs[oid(bytes, type)] = text(bytes, value);
    }
  return attrs;
}

const OID_CN = '2.5.4.3', OID_C = '2.5.4.6', OID_EKU = '2.5.29.37';
const OID_EC = '1.2.840.10045.2.1', OID_P256 = '1.2.840.10045.3.1.7', OID_RSA = '1.2.840.113549.1.1.1';

/**
 * Parses a DER certificate. Returns { spki, keyType: 'EC-P256'|'RSA'|'unsupported', notBefore, notAfter (Unix s),
 * commonName, country, ekus: string[]|null }, or throws an Error whose message says what is wrong.
 */
export function parseCertificate(der) {
  try {
    const cert = readTlv(der, 0, der.length);
    if (cert.tag !== 0x30 || cert.end !== der.length) throw new DerError('not a certificate');
    const tbs = children(der, cert)[0];
    let fields = children(der, tbs);
    if (fields[0].tag === 0xa0) fields = fields.slice(1); // explicit version
    const [, , , validity, subject, spki, ...rest] = fields;
    if (!spki || spki.tag !== 0x30) throw new DerError('no public key');
    const [notBefore, notAfter] = children(der, validity).map((t) => time(der, t));
    const names = nameAttributes(der, subject);
    const [algorithm] = children(der, spki);
    const [algOid, params] = children(der, algorithm);
    const keyOid = oid(der, algOid);
    let keyType = 'unsupported';
    if (keyOid === OID_EC && params && params.tag === 0x06 && oid(der, params) === OID_P256) keyType = 'EC-P256';
    else if (keyOid === OID_RSA) keyType = 'RSA';
    let ekus = null;
    const extensions = rest.find((t) => t.tag === 0xa3);
    if (extensions) {
      for (const ext of children(der, children(der, extensions)[0])) {
        const parts = children(der, ext);
        if (oid(der, parts[0]) !== OID_EKU) continue;
        const octets = parts[parts.length - 1];
        const seq = readTlv(der, octets.start, octets.end);
        ekus = children(der, seq).map((t) => oid(der, t));
      }
    }
    return {
      spki: der.slice(spki.headerStart, spki.end),
      keyType, notBefore, notAfter,
      commonName: names[OID_CN] || '', country: names[OID_C] || '', ekus,
    };
  } catch (e) {
    throw new Error(e instanceof DerError ? `malformed certificate (${e.message})` : 'malformed certificate');
  }
}

// DCC key-usage OIDs (EU hcert spec §5.4.1), official arc and the arc with the well-known typo.
const EKU_ARCS = ['1.3.6.1.4.1.1847.2021.1.', '1.3.6.1.4.1.0.1847.2021.1.'];
const EKU_TYPE = { 1: 't', 2: 'v', 3: 'r' };

/** The DCC types (v/t/r) a signer may sign: all when it declares no DCC key usage. */
export function allowedTypes(ekus) {
  const types = new Set();
  for (const e of ekus || [])
    for (const arc of EKU_ARCS)
      if (e.startsWith(arc) && EKU_TYPE[e.slice(arc.length)]) types.add(EKU_TYPE[e.slice(arc.length)]);
  return types.size ? types : new Set(['v', 't', 'r']);
}
