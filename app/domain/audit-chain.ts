import { createHmac, timingSafeEqual } from "node:crypto";
import { formatAnchor, GENESIS_HASH, type ChainHead } from "./audit-anchor";

export { GENESIS_HASH } from "./audit-anchor";

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
  | {
      ok: true;
      count: number;
      /** The newest event verified: publish it as the next anchor. */
      head: ChainHead;
      /** The anchor the chain was checked against, if any; the chain still contains it. */
      anchor: ChainHead | null;
    }
  | {
      ok: false;
      count: number;
      /** The newest event that verified before the problem. */
      head: ChainHead;
      /** The first event that fails, or null when events are missing from the end (or all of them). */
      badEvent: { id: string; seq: number } | null;
      reason: string;
    };

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/**
 * Checks a shop's events one at a time in sequence order, so a long chain can be streamed.
 * Stops at the first event whose sequence number, back-link or own hash does not hold, so an
 * edit, a deletion or a reordering is named.
 *
 * A chain alone cannot show that its newest events (or all of them) were deleted: what is left
 * is still a valid chain. `anchor`, a head published earlier outside the database, closes that
 * gap: the chain must still hold that event, with that hash, at that position. Since each hash
 * covers the one before, that also pins every event before it, even against someone holding
 * the key who re-hashes a rewritten history.
 */
export function createChainVerifier(
  chainKeyFor: (keyId: string) => Buffer,
  options: { anchor?: ChainHead | null } = {},
) {
  const anchor = options.anchor ?? null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let failure: Extract<ChainVerdict, { ok: false }> | null = null;
  const fail = (badEvent: { id: string; seq: number } | null, reason: string) => {
    failure = { ok: false, count, head: { seq: count, hash: prevHash }, badEvent, reason };
  };
  return {
    /** Returns false once the chain is broken; later events are not checked. */
    check(event: StoredChainedEvent): boolean {
      if (failure) return false;
      const reason = problemWith(event);
      if (reason) {
        fail({ id: event.id, seq: event.seq }, reason);
        return false;
      }
      prevHash = event.hash;
      expectedSeq += 1;
      count += 1;
      return true;
    },
    verdict(): ChainVerdict {
      if (failure) return failure;
      if (anchor && anchor.seq > count) {
        fail(
          null,
          count === 0
            ? `the chain is empty, but the anchor ${formatAnchor(anchor)} names event ${anchor.seq}: every event was removed`
            : `the chain ends at event ${count}, but the anchor names event ${anchor.seq}: ` +
                `the ${anchor.seq - count === 1 ? "newest event was" : `newest ${anchor.seq - count} events were`} removed`,
        );
        return failure!;
      }
      return { ok: true, count, head: { seq: count, hash: prevHash }, anchor };
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
    if (anchor && event.seq === anchor.seq && !sameHex(event.hash, anchor.hash))
      return (
        `its hash differs from the anchor ${formatAnchor(anchor)}: this event or one before it was ` +
        "replaced since the anchor was taken (events removed and new ones written in their place, or " +
        "history rewritten with the key), or the anchor is from another shop"
      );
    return null;
  }
}

export function verifyChain(
  events: Iterable<StoredChainedEvent>,
  chainKeyFor: (keyId: string) => Buffer,
  options: { anchor?: ChainHead | null } = {},
): ChainVerdict {
  const verifier = createChainVerifier(chainKeyFor, options);
  for (const event of events) if (!verifier.check(event)) break;
  return verifier.verdict();
}
