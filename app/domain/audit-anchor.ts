/**
 * Chain heads and anchors, apart from the hashing so the admin page's browser code can format
 * and check them without node:crypto.
 */

/** The hash that the first event of a shop's chain points back to. */
export const GENESIS_HASH = "0".repeat(64);

/** The newest event of a chain, by position and hash: what an anchor records. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The head of a chain with no events. */
export const EMPTY_CHAIN_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** Prisma's Int is 32-bit; no chain gets longer than that. */
const MAX_SEQ = 2_147_483_647;

/** An anchor as people copy it: `<seq>:<hash>`, e.g. `42:9f86d0…` (64 hex characters). */
export function formatAnchor(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

export const ANCHOR_FORMAT = "<event number>:<64 hex characters>, e.g. 42:9f86d081…";

/** The anchor in `text`, or why it is not one. Surrounding whitespace is forgiven; nothing else is. */
export function parseAnchor(text: string): { ok: true; anchor: ChainHead } | { ok: false; problem: string } {
  const match = /^(\d{1,10}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match) return { ok: false, problem: `an anchor is ${ANCHOR_FORMAT}` };
  const seq = Number(match[1]);
  const hash = match[2]!.toLowerCase();
  if (seq > MAX_SEQ) return { ok: false, problem: `no chain has an event number as large as ${seq}` };
  if (seq === 0 && hash !== GENESIS_HASH)
    return { ok: false, problem: `event number 0 is the empty chain, whose hash is ${GENESIS_HASH}` };
  return { ok: true, anchor: { seq, hash } };
}
