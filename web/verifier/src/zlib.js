import { LIMITS, VerifyError } from './limits.js';

/**
 * Inflates a zlib (RFC 1950) stream with the browser's DecompressionStream ('deflate' is zlib-wrapped), stopping as
 * soon as the output passes the cap. Throws VerifyError ZlibInvalid / ZlibTooLarge.
 */
export async function inflateZlib(bytes, maxBytes = LIMITS.maxInflatedBytes) {
  if (typeof DecompressionStream !== 'function') throw new VerifyError('BrowserUnsupported', 'DecompressionStream');
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // Errors surface on the reading side; the writer's own promises would otherwise be unhandled rejections.
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        throw new VerifyError('ZlibTooLarge', `more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof VerifyError) throw e;
    throw new VerifyError('ZlibInvalid', String(e && e.message));
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}
