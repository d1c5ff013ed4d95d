import jsQR from 'jsqr';
import { LIMITS, VerifyError } from './limits.js';

/** The pixels of a canvas-drawable source, scaled down to the pixel cap. */
function pixelsOf(source, width, height) {
  const scale = Math.min(1, Math.sqrt(LIMITS.maxImagePixels / (width * height)));
  const w = Math.max(1, Math.round(width * scale)), h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** The QR text in an image or video frame, or null when none is found. */
export function readQr(source, width, height) {
  const image = pixelsOf(source, width, height);
  const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
  return found ? found.data : null;
}

/** The QR text in an image at `url` (object URL of an uploaded file, or a data: URL). Throws VerifyError. */
export async function readQrFromImageUrl(url) {
  const img = new Image();
  img.decoding = 'async';
  img.src = url;
  try {
    await img.decode();
  } catch {
    throw new VerifyError('ImageUnreadable');
  }
  if (!img.naturalWidth || !img.naturalHeight) throw new VerifyError('ImageUnreadable');
  const text = readQr(img, img.naturalWidth, img.naturalHeight);
  if (!text) throw new VerifyError('QrNotFound');
  return text;
}

/** Reads an uploaded image file. Throws VerifyError. */
export async function readQrFromFile(file) {
  if (file.size > LIMITS.maxImageBytes) throw new VerifyError('ImageTooLarge');
  const url = URL.createObjectURL(file);
  try {
    return await readQrFromImageUrl(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}
