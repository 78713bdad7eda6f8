import { createHash, hkdfSync } from "node:crypto";

export interface MasterKey {
  /** Stable, non-secret id stored next to whatever the key protects, so rotation keeps old data readable. */
  readonly id: string;
  readonly material: Buffer;
}

export interface Keyring {
  readonly current: MasterKey;
  byId(id: string): MasterKey;
  /** A purpose-bound subkey of the current master key (HKDF-SHA256), never the master key itself. */
  derive(purpose: DerivedKeyPurpose, keyId?: string): Buffer;
}

export type DerivedKeyPurpose =
  | "audit-chain"
  | "email-index"
  /** Storefront (ADR 010): one-time code hashes, form tokens, rate-limit keys. */
  | "verification-code"
  | "storefront-form"
  | "rate-limit";

export class UnknownKeyError extends Error {
  constructor(keyId: string) {
    super(`No master key with id ${keyId} is configured (was it removed from ENCRYPTION_KEYS_RETIRED?)`);
    this.name = "UnknownKeyError";
  }
}

export function keyIdOf(material: Buffer): string {
  return createHash("sha256").update(material).digest("hex").slice(0, 12);
}

export function decodeMasterKey(base64: string): Buffer {
  const material = Buffer.from(base64.trim(), "base64");
  if (material.length !== 32) throw new Error(`must be 32 bytes of base64, got ${material.length} bytes`);
  return material;
}

export function createKeyring(currentBase64: string, retiredBase64: readonly string[] = []): Keyring {
  const toKey = (b64: string): MasterKey => {
    const material = decodeMasterKey(b64);
    return { id: keyIdOf(material), material };
  };
  const current = toKey(currentBase64);
  const keys = new Map<string, MasterKey>([[current.id, current]]);
  for (const b64 of retiredBase64) {
    const key = toKey(b64);
    keys.set(key.id, key);
  }
  const derived = new Map<string, Buffer>();
  const byId = (id: string): MasterKey => {
    const key = keys.get(id);
    if (!key) throw new UnknownKeyError(id);
    return key;
  };
  return {
    current,
    byId,
    derive(purpose, keyId = current.id) {
      const cacheKey = `${keyId}:${purpose}`;
      let subkey = derived.get(cacheKey);
      if (!subkey) {
        subkey = Buffer.from(
          hkdfSync("sha256", byId(keyId).material, Buffer.alloc(0), `privacy-desk/${purpose}`, 32),
        );
        derived.set(cacheKey, subkey);
      }
      return subkey;
    },
  };
}
