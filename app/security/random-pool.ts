import { randomBytes, randomFillSync } from "node:crypto";

/**
 * Small random values (nonces, data keys) cut from a buffer that the CSPRNG refills 4 KiB at a
 * time, as node's randomUUID does: one call into OpenSSL per few hundred values instead of one
 * each, which webhook intake makes several times per delivery. Every value is copied out, so a
 * refill never changes one already handed out, and no byte is handed out twice.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a whole number, got ${size}`);
  if (size > POOL_SIZE / 8) return randomBytes(size);
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
