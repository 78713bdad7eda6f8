import { createHmac, timingSafeEqual } from "node:crypto";

/** The hash that the first event of a shop's chain points back to. */
export const GENESIS_HASH = "0".repeat(64);

/** Every column of an audit event that its hash covers. */
export interface ChainedFields {
  shopId: string;
  seq: number;
  requestId: string | null;
  actor: string;
  action: string;
  occurredAt: Date;
  data: string;
  subjectId: string | null;
  piiCipher: string | null;
  chainKeyId: string;
  prevHash: string;
}

export interface StoredChainedEvent extends ChainedFields {
  id: string;
  hash: string;
}

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always encodes
 * to the same bytes, whatever order the properties were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new Error("canonicalJson: non-finite number");
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** Exactly the chained columns, whatever else the object carries (a stored row also has id and hash). */
export function encodeForChain(fields: ChainedFields): string {
  const chained: Record<keyof ChainedFields, unknown> = {
    shopId: fields.shopId,
    seq: fields.seq,
    requestId: fields.requestId,
    actor: fields.actor,
    action: fields.action,
    occurredAt: fields.occurredAt.toISOString(),
    data: fields.data,
    subjectId: fields.subjectId,
    piiCipher: fields.piiCipher,
    chainKeyId: fields.chainKeyId,
    prevHash: fields.prevHash,
  };
  return canonicalJson(chained);
}

/** HMAC rather than a bare hash: whoever can write to the database cannot forge a consistent chain. */
export function chainHash(chainKey: Buffer, fields: ChainedFields): string {
  return createHmac("sha256", chainKey).update(encodeForChain(fields)).digest("hex");
}

export type ChainVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; badEvent: { id: string; seq: number }; reason: string };

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/**
 * Checks a shop's events one at a time in sequence order, so a long chain can be streamed.
 * Stops at the first event whose sequence number, back-link or own hash does not hold, so an
 * edit, a deletion or a reordering is named.
 */
export function createChainVerifier(chainKeyFor: (keyId: string) => Buffer) {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let failure: Extract<ChainVerdict, { ok: false }> | null = null;
  return {
    /** Returns false once the chain is broken; later events are not checked. */
    check(event: StoredChainedEvent): boolean {
      if (failure) return false;
      const reason = problemWith(event);
      if (reason) {
        failure = { ok: false, count, badEvent: { id: event.id, seq: event.seq }, reason };
        return false;
      }
      prevHash = event.hash;
      expectedSeq += 1;
      count += 1;
      return true;
    },
    verdict(): ChainVerdict {
      return failure ?? { ok: true, count };
    },
  };

  function problemWith(event: StoredChainedEvent): string | null {
    if (event.seq !== expectedSeq)
      return `expected sequence number ${expectedSeq}, found ${event.seq} (an event is missing or was reordered)`;
    if (event.prevHash !== prevHash)
      return "its link to the previous event does not match (the previous event was changed or removed)";
    let key: Buffer;
    try {
      key = chainKeyFor(event.chainKeyId);
    } catch (error) {
      return (error as Error).message;
    }
    if (!sameHex(chainHash(key, event), event.hash))
      return "its content does not match its hash (the event was edited)";
    return null;
  }
}

export function verifyChain(
  events: Iterable<StoredChainedEvent>,
  chainKeyFor: (keyId: string) => Buffer,
): ChainVerdict {
  const verifier = createChainVerifier(chainKeyFor);
  for (const event of events) if (!verifier.check(event)) break;
  return verifier.verdict();
}
