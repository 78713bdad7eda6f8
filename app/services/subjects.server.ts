import { pooledRandomBytes } from "../security/random-pool";
import { Prisma } from "@prisma/client";
import type { Db, Tx } from "../db-types";
import { emailBlindIndex } from "../security/blind-index";
import { insertRows } from "./bulk-insert.server";
import { open, openToBuffer, seal } from "../security/envelope";
import type { Keyring } from "../security/keyring";
import { newRowId } from "../security/row-id";

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

export type SealedField =
  "email" | "phone" | "name" | "changes" | "delivery-payload" | "audit-pii" | "message" | "verification-code";

const wrapContext = (subjectId: string) => `subject-key:${subjectId}`;
const fieldContext = (subjectId: string, field: SealedField) => `${subjectId}:${field}`;

export function emailHashFor(keyring: Keyring, email: string | null): string | null {
  return email ? emailBlindIndex(keyring.derive("email-index"), email) : null;
}

function unwrap(
  keyring: Keyring,
  row: { id: string; wrappedKey: string | null; keyId: string | null },
): Buffer | null {
  if (!row.wrappedKey || !row.keyId) return null;
  return openToBuffer(keyring.byId(row.keyId).material, row.wrappedKey, wrapContext(row.id));
}

type SubjectRow = {
  id: string;
  shopId: string;
  customerId: string | null;
  emailHash: string | null;
  wrappedKey: string | null;
  keyId: string | null;
};

/** The live (not erased) subject matching the customer id, else the email; created if none. */
export async function findOrCreateSubject(
  tx: Tx,
  keyring: Keyring,
  shopId: string,
  identity: SubjectIdentity,
): Promise<OpenSubject> {
  const [subject] = await resolveSubjects(tx, keyring, [{ shopId, ...identity }]);
  return subject!;
}

/**
 * A new subject, even when one for the same person exists: what a logged-out storefront request
 * uses, so the time it takes says nothing about whether the address was seen before (ADR 010).
 * Erasure finds every subject of a person by customer id or email index, so a person with two is
 * erased whole.
 */
export async function createSubject(
  tx: Tx,
  keyring: Keyring,
  shopId: string,
  identity: SubjectIdentity,
): Promise<OpenSubject> {
  const id = newRowId();
  const key = pooledRandomBytes(32);
  await insertRows(tx, "DataSubject", [
    {
      id,
      shopId,
      customerId: identity.customerId,
      emailHash: emailHashFor(keyring, identity.email),
      keyId: keyring.current.id,
      wrappedKey: seal(keyring.current.material, key, wrapContext(id)),
      createdAt: new Date(),
    },
  ]);
  return { id, key };
}

/**
 * findOrCreateSubject for many people at once (one read, one insert), in input order. Two
 * inputs naming the same person get the same subject, whether it existed or is created here.
 */
export async function resolveSubjects(
  tx: Tx,
  keyring: Keyring,
  people: (SubjectIdentity & { shopId: string })[],
): Promise<OpenSubject[]> {
  type Known = {
    id: string;
    shopId: string;
    customerId: string | null;
    emailHash: string | null;
    key: Buffer;
  };
  const wanted = people.map((person) => ({ ...person, emailHash: emailHashFor(keyring, person.email) }));
  const shopIds = [...new Set(wanted.map((person) => person.shopId))];
  const match = shopIds.flatMap((shopId) => {
    const mine = wanted.filter((person) => person.shopId === shopId);
    const customerIds = [
      ...new Set(mine.flatMap((person) => (person.customerId ? [person.customerId] : []))),
    ];
    const emailHashes = [...new Set(mine.flatMap((person) => (person.emailHash ? [person.emailHash] : [])))];
    return [
      ...(customerIds.length
        ? [Prisma.sql`("shopId" = ${shopId} AND "customerId" IN (${Prisma.join(customerIds)}))`]
        : []),
      ...(emailHashes.length
        ? [Prisma.sql`("shopId" = ${shopId} AND "emailHash" IN (${Prisma.join(emailHashes)}))`]
        : []),
    ];
  });
  // Raw SQL: webhook intake runs this for every batch, and on Prisma's JavaScript engine this
  // ORM query cost several times the raw one (ADR 005).
  const rows = match.length
    ? await tx.$queryRaw<SubjectRow[]>`
        SELECT "id", "shopId", "customerId", "emailHash", "wrappedKey", "keyId" FROM "DataSubject"
        WHERE "erasedAt" IS NULL AND (${Prisma.join(match, " OR ")})
        ORDER BY "createdAt" ASC`
    : [];
  const known: Known[] = rows.flatMap((row) => {
    const key = unwrap(keyring, row);
    return key
      ? [{ id: row.id, shopId: row.shopId, customerId: row.customerId, emailHash: row.emailHash, key }]
      : [];
  });

  const created: {
    id: string;
    shopId: string;
    customerId: string | null;
    emailHash: string | null;
    keyId: string;
    wrappedKey: string;
  }[] = [];
  const backfills = new Map<string, string>();
  const result = wanted.map((person) => {
    const found =
      (person.customerId &&
        known.find((s) => s.shopId === person.shopId && s.customerId === person.customerId)) ||
      (person.emailHash && known.find((s) => s.shopId === person.shopId && s.emailHash === person.emailHash));
    if (found) {
      if (!found.customerId && person.customerId) {
        found.customerId = person.customerId;
        const createdHere = created.find((row) => row.id === found.id);
        if (createdHere) createdHere.customerId = person.customerId;
        else backfills.set(found.id, person.customerId);
      }
      return { id: found.id, key: found.key };
    }
    const id = newRowId();
    const key = pooledRandomBytes(32);
    const subject = { id, shopId: person.shopId, customerId: person.customerId, emailHash: person.emailHash };
    created.push({
      ...subject,
      keyId: keyring.current.id,
      wrappedKey: seal(keyring.current.material, key, wrapContext(id)),
    });
    known.push({ ...subject, key });
    return { id, key };
  });

  const createdAt = new Date();
  await insertRows(
    tx,
    "DataSubject",
    created.map((row) => ({ ...row, createdAt })),
  );
  // A subject first known by email only learns its customer id: rare, so one update each.
  // Raw SQL: webhook intake may call this in a direct transaction (no ORM there).
  for (const [id, customerId] of backfills)
    await tx.$executeRaw`UPDATE "DataSubject" SET "customerId" = ${customerId} WHERE "id" = ${id}`;
  return result;
}

export function sealFor(
  subject: OpenSubject,
  field: SealedField,
  value: string | null | undefined,
): string | null {
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
      const row = await db.dataSubject.findUnique({
        where: { id: subjectId },
        select: { id: true, wrappedKey: true, keyId: true },
      });
      keys.set(subjectId, row ? unwrap(keyring, row) : null);
    }
    return keys.get(subjectId) ?? null;
  }
  return async function read(
    subjectId: string | null,
    field: SealedField,
    sealed: string | null,
  ): Promise<string | null> {
    if (!subjectId || !sealed) return null;
    const key = await keyFor(subjectId);
    return key ? open(key, sealed, fieldContext(subjectId, field)) : null;
  };
}

/** A subject's key, to seal more of their data; null once they were erased. */
export async function openSubject(
  db: Db | Tx,
  keyring: Keyring,
  subjectId: string,
): Promise<OpenSubject | null> {
  const row = await db.dataSubject.findUnique({
    where: { id: subjectId },
    select: { id: true, wrappedKey: true, keyId: true },
  });
  const key = row ? unwrap(keyring, row) : null;
  return key ? { id: subjectId, key } : null;
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
