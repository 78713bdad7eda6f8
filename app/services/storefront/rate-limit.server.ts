import { createHmac } from "node:crypto";
import { Prisma } from "@prisma/client";
import type { Db, Tx } from "../../db-types";
import { rateWindow, type RateRule } from "../../domain/storefront-request";
import type { Keyring } from "../../security/keyring";

export interface RateHit {
  rule: RateRule;
  /** What is counted (an address, a customer id, an email); hashed with a key before it is stored. */
  subject: string;
  /** The shop the counter belongs to (shop/redact removes it), or null for one across shops. */
  shopId: string | null;
}

export type RateOutcome = { ok: true } | { ok: false; rule: RateRule; retryAfterSeconds: number };

/**
 * Counts one hit on each counter and says whether any went over its limit. Counters live in the
 * database so every app instance shares them; each hit is one upsert
 * (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`, the same SQL on SQLite and PostgreSQL). A hit
 * over the limit still counts: a flood keeps itself limited.
 */
export async function consumeRateLimits(
  db: Db | Tx,
  keyring: Keyring,
  hits: RateHit[],
  now: Date,
): Promise<RateOutcome> {
  if (hits.length === 0) return { ok: true };
  const secret = keyring.derive("rate-limit");
  const rows = hits.map((hit) => {
    const window = rateWindow(hit.rule, now);
    const key = `${hit.rule.name}:${createHmac("sha256", secret)
      .update(`${hit.rule.name}|${hit.shopId ?? ""}|${hit.subject}`)
      .digest("base64url")
      .slice(0, 32)}`;
    return { hit, key, window };
  });
  const values = rows.map(
    ({ hit, key, window }) => Prisma.sql`(${key}, ${window.start}, ${hit.shopId}, 1, ${window.end})`,
  );
  const counted = await db.$queryRaw<{ key: string; count: number | bigint }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "shopId", "count", "expiresAt")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "key", "count"`;
  const countOf = new Map(counted.map((row) => [row.key, Number(row.count)]));
  const over = rows
    .filter(({ hit, key }) => (countOf.get(key) ?? 0) > hit.rule.limit)
    .sort((a, b) => b.window.end.getTime() - a.window.end.getTime())[0];
  if (!over) return { ok: true };
  return {
    ok: false,
    rule: over.hit.rule,
    retryAfterSeconds: Math.max(1, Math.ceil((over.window.end.getTime() - now.getTime()) / 1000)),
  };
}

/** Counters whose window has passed; the housekeeping job removes them. */
export async function pruneRateLimits(db: Db, now: Date): Promise<number> {
  const { count } = await db.rateLimitCounter.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
