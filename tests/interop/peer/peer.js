// VaxCert interop peer: an independent EU DCC implementation (@pathcheck/dcc-sdk) behind a JSON stdin/stdout CLI.
//   node dist/peer.cjs sign    < {dcc, privateKeyPem, certificatePem, iss?, iat?, exp?}  -> {hc1}
//   node dist/peer.cjs verify  < {hc1, certificatePem | publicKeyPem}                    -> {valid, status, dcc, ...}
// Exit code 0 with a JSON result (also for an HC1 that fails verification); 2 with {error} for bad usage or input.
'use strict';

// The SDK logs with console.log; stdout carries only our JSON answer.
console.log = (...args) => console.error(...args);

const crypto = require('node:crypto');
const {
  signAndPack, unpackAndVerify, makeCWT, parseCWT, addCachedCerts,
} = require('@pathcheck/dcc-sdk/lib/main.js');

const CWT_ISSUER = 1;
const CWT_EXPIRATION = 4;
const CWT_ISSUED_AT = 6;

class UsageError extends Error {}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function requireString(input, name) {
  if (typeof input[name] !== 'string' || input[name].length === 0)
    throw new UsageError(`input field '${name}' (string) is required`);
  return input[name];
}

function optionalInteger(input, name) {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Number.isSafeInteger(v)) throw new UsageError(`input field '${name}' must be an integer (seconds since epoch)`);
  return v;
}

async function sign(input) {
  if (typeof input.dcc !== 'object' || input.dcc === null || Array.isArray(input.dcc))
    throw new UsageError("input field 'dcc' (object) is required");
  const privateKeyPem = requireString(input, 'privateKeyPem');
  const certificatePem = requireString(input, 'certificatePem');
  const iat = optionalInteger(input, 'iat');
  const exp = optionalInteger(input, 'exp');

  // The SDK's own CWT builder (iat = now, -260 -> 1 -> dcc); explicit claims override its defaults.
  const cwt = await makeCWT(input.dcc, undefined, input.iss);
  if (iat !== undefined) cwt.set(CWT_ISSUED_AT, iat);
  if (exp !== undefined) cwt.set(CWT_EXPIRATION, exp);

  // SDK path: CBOR, COSE_Sign1 (alg from the certificate's key, kid = SHA-256(cert DER)[0..8]), zlib, Base45, "HC1:".
  const hc1 = await signAndPack(cwt, certificatePem, privateKeyPem);
  return { hc1 };
}

function certificateKidBase64(certificatePem) {
  const der = new crypto.X509Certificate(certificatePem).raw;
  return crypto.createHash('sha256').update(der).digest().subarray(0, 8).toString('base64');
}

function pemBody(pem) {
  return pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
}

function claimsOf(cwt) {
  if (!(cwt instanceof Map)) return undefined;
  return { iss: cwt.get(CWT_ISSUER), iat: cwt.get(CWT_ISSUED_AT), exp: cwt.get(CWT_EXPIRATION) };
}

async function verify(input) {
  const hc1 = requireString(input, 'hc1');
  let fallbackPublicKeyPem;
  if (typeof input.certificatePem === 'string') {
    // Trust exactly this certificate under its kid, so the SDK's own kid lookup must match the HC1's kid.
    addCachedCerts({ [certificateKidBase64(input.certificatePem)]: pemBody(input.certificatePem) });
  } else if (typeof input.publicKeyPem === 'string') {
    // A bare public key has no kid; the SDK then uses it for whatever kid the HC1 names.
    fallbackPublicKeyPem = input.publicKeyPem;
  } else {
    throw new UsageError("input field 'certificatePem' or 'publicKeyPem' (string) is required");
  }

  const result = await unpackAndVerify(hc1, fallbackPublicKeyPem);
  const cwt = result.contents;
  let dcc;
  try {
    dcc = cwt instanceof Map ? await parseCWT(cwt) : undefined;
  } catch {
    dcc = undefined;
  }
  const valid = result.status === 'verified';
  const answer = { valid, status: result.status, dcc: dcc ?? null, claims: claimsOf(cwt) ?? null };
  if (!valid) answer.error = result.status;
  return answer;
}

async function main() {
  const command = process.argv[2];
  const commands = { sign, verify };
  if (!commands[command]) throw new UsageError('usage: peer.cjs sign|verify  (JSON on stdin)');
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (e) {
    throw new UsageError('stdin is not valid JSON: ' + e.message);
  }
  if (typeof input !== 'object' || input === null) throw new UsageError('stdin must hold a JSON object');
  return commands[command](input);
}

main().then(
  (answer) => { process.stdout.write(JSON.stringify(answer) + '\n'); },
  (err) => {
    // Never echo the input: it may hold a private key.
    const message = err instanceof UsageError ? err.message : `${err.name}: ${err.message}`;
    process.stdout.write(JSON.stringify({ error: message }) + '\n');
    process.exitCode = 2;
  });
