import { pooledRandomBytes } from "./random-pool";

/**
 * A new row's primary key: a UUID version 7 (RFC 9562), its first 48 bits the time in
 * milliseconds and 74 random bits after. Rows written together sit next to each other in their
 * primary-key index, so a batch of webhook intake dirties a few index pages instead of one per
 * row (each dirty page is written to SQLite's WAL at commit, and checkpointed again later).
 * The time it carries is no secret: every row that has one also stores when it was made.
 */
export function newRowId(now = Date.now()): string {
  const bytes = pooledRandomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
