import { VerifyError } from './limits.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** RFC 9285 Base45 → bytes. Throws VerifyError Base45InvalidCharacter / Base45InvalidGroup. */
export function base45Decode(text) {
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  if (text.length % 3 === 1) throw new VerifyError('Base45InvalidGroup', 'dangling character');
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const digits = [];
    for (let j = i; j < Math.min(i + 3, text.length); j++) {
      const v = VALUE.get(text[j]);
      if (v === undefined) throw new VerifyError('Base45InvalidCharacter', `position ${j}`);
      digits.push(v);
    }
    if (digits.length === 3) {
      const n = digits[0] + digits[1] * 45 + digits[2] * 2025;
      if (n > 0xffff) throw new VerifyError('Base45InvalidGroup', `group at ${i}`);
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = digits[0] + digits[1] * 45;
      if (n > 0xff) throw new VerifyError('Base45InvalidGroup', `group at ${i}`);
      out[o++] = n;
    }
  }
  return out;
}
