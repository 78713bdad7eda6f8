import { randomBytes, randomUUID } from "node:crypto";
import type { Db, Tx } from "../db-types";
import { emailBlindIndex } from "../security/blind-index";
import { open, openToBuffer, seal } from "../security/envelope";
import type { Keyring } from "../security/keyring";

/**
 * The personal-data vault. Each data subject (one person in one shop) has a random key, stored
 * only wrapped by the master key. Every personal value the app keeps about them — in requests,
 * delivery payloads and audit events — is sealed with that key. Erasing the person destroys the
 * key, so copies in append-only places become unreadable without rewriting them.
 */
export interface SubjectIdentity {
  customerId: string | null;
  email: string | null;
}

export interface OpenSubject {
  id: string;
  key: Buffer;
}

export type SealedField = "email" | "phone" | "name" | "delivery-payload" | "audit-pii";

const wrapContext = (subjectId: string) => `subject-key:${subjectId}`;
const fieldContext = (subjectId: string, field: SealedField) => `${subjectId}:${field}`;

export function emailHashFor(keyring: Keyring, email: string | null): string | null {
  return email ? emailBlindIndex(keyring.derive("email-index"), email) : null;
}

function unwrap(keyring: Keyring, row: { id: string; wrappedKey: string | null; keyId: string | null }): Buffer | null {
  if (!row.wrappedKey || !row.keyId) return null;
  return openToBuffer(keyring.byId(row.keyId).material, row.wrappedKey, wrapContext(row.id));
}

/** The live (not erased) subject matching the customer id, else the email; created if none. */
export async function findOrCreateSubject(
  tx: Tx,
  keyring: Keyring,
  shopId: string,
  identity: SubjectIdentity,
): Promise<OpenSubject> {
  const emailHash = emailHashFor(keyring, identity.email);
  const match = [
    ...(identity.customerId ? [{ customerId: identity.customerId }] : []),
    ...(emailHash ? [{ emailHash }] : []),
  ];
  const existing = match.length
    ? await tx.dataSubject.findFirst({ where: { shopId, erasedAt: null, OR: match }, orderBy: { createdAt: "asc" } })
    : null;
  if (existing) {
    const key = unwrap(keyring, existing);
    if (key) {
      if (!existing.customerId && identity.customerId) {
        await tx.dataSubject.update({ where: { id: existing.id }, data: { customerId: identity.customerId } });
      }
      return { id: existing.id, key };
    }
  }
  const id = randomUUID();
  const key = randomBytes(32);
  await tx.dataSubject.create({
    data: {
      id,
      shopId,
      customerId: identity.customerId,
      emailHash,
      keyId: keyring.current.id,
      wrappedKey: seal(keyring.current.material, key, wrapContext(id)),
    },
  });
  return { id, key };
}

export function sealFor(subject: OpenSubject, field: SealedField, value: string | null | undefined): string | null {
  return value == null || value === "" ? null : seal(subject.key, value, fieldContext(subject.id, field));
}

/**
 * Opens sealed values for many rows, unwrapping each subject's key once. Returns null for a
 * value whose subject was erased: that is the erasure working, not an error.
 */
export function createSubjectReader(db: Db | Tx, keyring: Keyring) {
  const keys = new Map<string, Buffer | null>();
  async function keyFor(subjectId: string): Promise<Buffer | null> {
    if (!keys.has(subjectId)) {
      const row = await db.dataSubject.findUnique({ where: { id: subjectId }, select: { id: true, wrappedKey: true, keyId: true } });
      keys.set(subjectId, row ? unwrap(keyring, row) : null);
    }
    return keys.get(subjectId) ?? null;
  }
  return async function read(subjectId: string | null, field: SealedField, sealed: string | null): Promise<string | null> {
    if (!subjectId || !sealed) return null;
    const key = await keyFor(subjectId);
    return key ? open(key, sealed, fieldContext(subjectId, field)) : null;
  };
}

/** Destroys the subjects' keys. Irreversible by design. */
export async function eraseSubjects(tx: Tx, subjectIds: string[], now: Date): Promise<number> {
  if (subjectIds.length === 0) return 0;
  const { count } = await tx.dataSubject.updateMany({
    where: { id: { in: subjectIds } },
    data: { wrappedKey: null, keyId: null, emailHash: null, erasedAt: now },
  });
  return count;
}
