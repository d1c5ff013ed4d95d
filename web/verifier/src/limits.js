// Caps on everything read from outside. Numbers match the .NET verifier where it has one (docs/reason-codes.md).
export const LIMITS = Object.freeze({
  maxHc1Length: 4296, // a version-40 QR code cannot hold more
  maxInflatedBytes: 64 * 1024, // decompression-bomb guard
  maxCborDepth: 16,
  maxCborItems: 10000,
  maxImageBytes: 15 * 1024 * 1024,
  maxImagePixels: 4096 * 4096, // larger photos are scaled down before QR detection
  maxTrustFileBytes: 5 * 1024 * 1024,
  maxTrustEntries: 5000,
  maxCertificateBytes: 16 * 1024,
  clockSkewSeconds: 5 * 60,
});

/** A failure with a typed reason (see reasons.js); the only kind of error the pipeline lets out. */
export class VerifyError extends Error {
  constructor(reason, detail = '') {
    super(reason + (detail ? `: ${detail}` : ''));
    this.reason = reason;
  }
}
