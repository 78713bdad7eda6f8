import { createCipheriv, createDecipheriv } from "node:crypto";
import { pooledRandomBytes } from "./random-pool";

/**
 * AES-256-GCM with a random 96-bit nonce. Sealed values are self-describing text
 * `v1.<nonce>.<tag>.<ciphertext>` (base64url) so they fit in any text column.
 * `context` is bound as additional authenticated data: a value moved to another row or purpose
 * fails to open.
 */
const VERSION = "v1";

export class DecryptionError extends Error {
  constructor(message = "Encrypted value is damaged, was tampered with, or belongs to another key") {
    super(message);
    this.name = "DecryptionError";
  }
}

export function seal(key: Buffer, plaintext: string | Buffer, context = ""): string {
  const nonce = pooledRandomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    VERSION,
    nonce.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

export function openToBuffer(key: Buffer, sealed: string, context = ""): Buffer {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION)
    throw new DecryptionError("Not a sealed value of a known version");
  const [, nonce, tag, body] = parts as [string, string, string, string];
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

export function open(key: Buffer, sealed: string, context = ""): string {
  return openToBuffer(key, sealed, context).toString("utf8");
}
