import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { consumeRateLimits } from "../../app/services/storefront/rate-limit.server";
import { storefrontHousekeeping } from "../../app/services/storefront/storefront-housekeeping.server";
import { handleStorefrontPage } from "../../app/storefront/storefront-proxy.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import {
  pendingCode,
  proxyRequest,
  requestIdOf,
  storefrontTestDeps,
  tokenOf,
  type ProxyRequestOptions,
} from "../helpers/storefront";

const clock = manualClock(new Date("2026-11-30T10:00:30.000Z"));
const deps = storefrontTestDeps(clock);
const send = (options: ProxyRequestOptions) => handleStorefrontPage(proxyRequest(clock.now(), options), deps);

beforeEach(async () => {
  await resetDatabase();
  await getDb().shop.create({ data: { domain: SHOP } });
});

async function submit(email: string, ip: string, type = "access") {
  const token = tokenOf(await (await send({ ip })).text());
  return send({ ip, form: { type, email, token } });
}

describe("storefront rate limits (in the database, shared by every instance)", () => {
  it("GIVEN 10 requests from one address in 10 minutes THEN the 11th gets a clear 429 page with Retry-After; another address is not affected", async () => {
    for (let i = 0; i < 10; i += 1)
      expect((await submit(`a${i}@example.com`, "198.51.100.9")).status).toBe(200);
    const refused = await submit("a10@example.com", "198.51.100.9");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(600);
    expect(refused.headers.get("cache-control")).toBe("no-store, private");
    const page = await refused.text();
    expect(page).toContain("<h1>Too many requests</h1>");
    expect(page).toMatch(/Please wait \d+ minutes, then try again\./);
    expect(await getDb().privacyRequest.count()).toBe(10);
    expect((await submit("b@example.com", "198.51.100.10")).status).toBe(200);
  });

  it("counts the address Shopify saw, not one the client wrote into X-Forwarded-For", async () => {
    for (let i = 0; i < 10; i += 1)
      await send({
        ip: `10.0.0.${i}, 198.51.100.77`,
        form: { type: "access", email: `s${i}@example.com`, token: tokenOf(await (await send({})).text()) },
      });
    const spoofed = await send({
      ip: "10.9.9.9, 198.51.100.77",
      form: { type: "access", email: "s10@example.com", token: tokenOf(await (await send({})).text()) },
    });
    expect(spoofed.status).toBe(429);
  });

  it("GIVEN 5 emails to one address in an hour, from any network THEN the 6th request for it is refused", async () => {
    for (let i = 0; i < 5; i += 1)
      expect((await submit("target@example.com", `203.0.113.${i}`)).status).toBe(200);
    expect((await submit("TARGET@example.com", "203.0.113.99")).status).toBe(429);
    expect((await submit("someone.else@example.com", "203.0.113.99")).status).toBe(200);
  });

  it("GIVEN a flood of guesses THEN it locks only the code it targets and the guesser's address, never the shop's other shoppers", async () => {
    // GIVEN two shoppers waiting for their codes
    const victim = requestIdOf(await (await submit("victim@example.com", "203.0.113.1")).text());
    const other = requestIdOf(await (await submit("other@example.com", "203.0.113.2")).text());
    // WHEN one address sends 40 guesses at the victim's request
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1)
      statuses.push(
        (await send({ ip: "192.0.2.66", form: { request: victim, code: String(100000 + i) } })).status,
      );
    // THEN 4 wrong, then locked, then the guesser's address is refused outright
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses.slice(4, 30).every((status) => status === 429)).toBe(true);
    expect(statuses.slice(30).every((status) => status === 429)).toBe(true);
    const verification = await getDb().storefrontVerification.findUniqueOrThrow({
      where: { requestId: victim },
    });
    expect(verification.attempts).toBe(5);
    // AND the other shopper confirms as usual
    const ok = await send({ ip: "203.0.113.2", form: { request: other, code: await pendingCode(other) } });
    expect(ok.status).toBe(200);
    // AND the victim gets a new code and confirms too
    clock.advance(61_000);
    expect((await send({ ip: "203.0.113.1", form: { request: victim, resend: "1" } })).status).toBe(200);
    const confirmed = await send({
      ip: "203.0.113.1",
      form: { request: victim, code: await pendingCode(victim) },
    });
    expect(confirmed.status).toBe(200);
  });

  it("windows roll over, and housekeeping drops spent counters", async () => {
    const local = manualClock(new Date("2026-11-30T10:00:30.000Z"));
    const rule = { name: "test-rule", limit: 2, windowMs: 60_000 };
    const hit = () =>
      consumeRateLimits(getDb(), getKeyring(), [{ rule, subject: "x", shopId: null }], local.now());
    expect((await hit()).ok).toBe(true);
    expect((await hit()).ok).toBe(true);
    const third = await hit();
    expect(third).toEqual({ ok: false, rule, retryAfterSeconds: 30 });
    local.advance(30_000);
    expect((await hit()).ok).toBe(true);
    // No counter holds the address or the subject in clear.
    const keys = (await getDb().rateLimitCounter.findMany()).map((row) => row.key);
    expect(keys.every((key) => /^test-rule:[\w-]{32}$/.test(key))).toBe(true);
    local.advance(120_000);
    const { counters } = await storefrontHousekeeping(getDb(), getKeyring(), local.now());
    expect(counters).toBe(2);
  });
});
