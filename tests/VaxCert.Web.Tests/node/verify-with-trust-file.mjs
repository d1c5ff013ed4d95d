// Runs the page's own trust-list loader and verifier (web/verifier/src) under Node's WebCrypto, for the trust-file
// path that headless --dump-dom cannot drive (a file picker). Usage: node verify-with-trust-file.mjs TRUSTFILE HC1FILE
// Prints one JSON line: {count, problems, outcome, reason}.
import { readFileSync } from 'node:fs';
import { certificatesFromText, buildTrustList } from '../../../web/verifier/src/trust.js';
import { verifyHc1 } from '../../../web/verifier/src/verify.js';

const [trustFile, hc1File] = process.argv.slice(2);
const trust = await buildTrustList(certificatesFromText(readFileSync(trustFile, 'utf8')), trustFile);
const answer = await verifyHc1(readFileSync(hc1File, 'utf8'), trust);
console.log(JSON.stringify({ count: trust.count, problems: trust.problems, outcome: answer.outcome, reason: answer.reason }));
