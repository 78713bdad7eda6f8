import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { purgeShop } from "../../app/services/redaction.server";
import { getRequestWithEvents } from "../../app/services/request-queries.server";
import {
  storefrontHousekeeping,
  UNVERIFIED_EXPIRY_REASON,
} from "../../app/services/storefront/storefront-housekeeping.server";
import { handleStorefrontPage } from "../../app/storefront/storefront-proxy.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import {
  pendingCode,
  proxyRequest,
  requestIdOf,
  storefrontTestDeps,
  tokenOf,
  type ProxyRequestOptions,
} from "../helpers/storefront";
import { testExportStorage } from "../helpers/worker-deps";
import { mswServer } from "../setup/test-env";

const clock = manualClock(new Date());
let deps = storefrontTestDeps(clock);
const send = (options: ProxyRequestOptions = {}) =>
  handleStorefrontPage(proxyRequest(clock.now(), options), deps);

beforeEach(async () => {
  await resetDatabase();
  deps = storefrontTestDeps(clock);
});
afterEach(() => mswServer.resetHandlers());

async function setUp(settings: { verificationPolicy?: string; autoApproveCustomerAccess?: boolean } = {}) {
  const shopify = simulatedShopify({ email: "pat.known@example.com" });
  const shop = await getDb().shop.create({ data: { domain: SHOP } });
  if (Object.keys(settings).length)
    await getDb().shopSettings.create({
      data: {
        shopId: shop.id,
        verificationPolicy: settings.verificationPolicy ?? "email_confirmation",
        autoApproveCustomerAccess: settings.autoApproveCustomerAccess ?? false,
        notificationEmails: "[]",
        exportRetentionDays: 7,
      },
    });
  const worker = createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: shopify.admin,
    now: clock.now,
  });
  return { ...shopify, shop, worker };
}

/** Fills the form the page rendered (its token included) and sends it. */
async function submit(form: Record<string, string>, as: ProxyRequestOptions = {}) {
  const token = tokenOf(await (await send(as)).text());
  return send({ ...as, form: { ...form, token } });
}

async function requestRow(id: string) {
  const request = await getDb().privacyRequest.findUniqueOrThrow({ where: { id } });
  const verification = await getDb().storefrontVerification.findUnique({ where: { requestId: id } });
  return { ...request, verification };
}

async function trail(id: string) {
  const request = await getRequestWithEvents(getDb(), getKeyring(), { id });
  return request!.events.map((event) => `${event.actor} ${event.action}`);
}

describe("rung 1: a sale/share opt-out needs no verification (CCPA)", () => {
  it("GIVEN a logged-out shopper with a customer's address WHEN they opt out THEN no code is asked and Shopify records the opt-out", async () => {
    const { customer, worker } = await setUp();
    const response = await submit({ type: "sale_opt_out", email: "Pat.Known@example.com" });

    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("has been recorded and is being applied");
    expect(page).not.toContain('name="code"');
    const id = (await getDb().privacyRequest.findFirstOrThrow()).id;
    expect(await requestRow(id)).toMatchObject({
      status: "pending_review",
      source: "storefront",
      regime: "ccpa",
      verification: { method: "none", codeHash: null },
    });

    await worker.drain();

    expect(customer.dataSaleOptOut).toBe(true);
    expect((await requestRow(id)).status).toBe("completed");
    expect(await trail(id)).toEqual([
      "shopper request.received",
      "system:storefront request.customer_lookup",
      "system:storefront request.approve",
      "system:worker request.start",
      "system:worker request.complete",
    ]);
  });

  it("GIVEN an address no customer has THEN the opt-out is recorded and completed with the reason, and Shopify's mutation is not called", async () => {
    const { worker, customer } = await setUp();
    await submit({ type: "sale_opt_out", email: "stranger@example.com" });
    await worker.drain();
    const id = (await getDb().privacyRequest.findFirstOrThrow()).id;
    const request = await getRequestWithEvents(getDb(), getKeyring(), { id });
    expect(request!.status).toBe("completed");
    expect(request!.events.at(-1)!.data).toMatchObject({
      shopify: { dataSaleOptOut: false, reason: "no customer in Shopify has this email address" },
    });
    expect(customer.dataSaleOptOut).toBe(false);
  });
});

describe("rung 2: a logged-in customer is known, and still re-authenticates with a code to the account's address", () => {
  it("GIVEN a logged-in customer's access request THEN the code goes to the account's address, and the code confirms it", async () => {
    const { customer, worker } = await setUp();
    const as = { customerId: String(customer.id) };
    const response = await submit({ type: "access", email: "typed.elsewhere@example.com" }, as);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("sent a 6-digit code to your account&#39;s email address");
    const id = requestIdOf(page);
    expect(await requestRow(id)).toMatchObject({
      status: "awaiting_verification",
      customerId: String(customer.id),
      emailCipher: null, // the typed address is never used for a logged-in customer
      verification: { method: "email_code", customerId: String(customer.id) },
    });
    expect(await getDb().outboundEmail.count()).toBe(0); // the address is not known yet

    await worker.drain(); // the lookup learns the account's address and queues the code

    const emails = await getDb().outboundEmail.findMany();
    expect(emails.map((email) => email.template)).toEqual(["verification_code"]);
    const { email } = (await getRequestWithEvents(getDb(), getKeyring(), { id }))!;
    expect(email).toBe("pat.known@example.com");

    const verified = await send({ ...as, form: { request: id, code: await pendingCode(id) } });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain("your request is confirmed");
    expect((await requestRow(id)).status).toBe("pending_review");
    expect(await trail(id)).toEqual([
      "shopper request.received",
      "system:storefront request.customer_lookup",
      "shopper request.verify",
    ]);
  });

  it("GIVEN a store that withholds customers (no read_customers) WHEN a logged-in customer's request is looked up THEN Shopify's ACCESS_DENIED is recorded on the request, and no code goes anywhere", async () => {
    const { customer, worker, store } = await setUp();
    store.grants.scopes.delete("read_customers");
    store.grants.scopes.delete("write_customers");
    const as = { customerId: String(customer.id) };
    const id = requestIdOf(await (await submit({ type: "access" }, as)).text());

    await worker.drain();

    expect(await trail(id)).toEqual([
      "shopper request.received",
      "system:storefront request.customer_lookup_failed",
    ]);
    const failed = await getDb().auditEvent.findFirstOrThrow({
      where: { requestId: id, action: "request.customer_lookup_failed" },
    });
    expect(failed.data).toContain("lacks the read_customers permission");
    expect(await getDb().outboundEmail.count()).toBe(0);
    expect((await requestRow(id)).status).toBe("awaiting_verification");
  });

  it("GIVEN auto-approval is on WHEN a logged-in customer confirms an access request THEN it is approved and its execution queued", async () => {
    const { customer, worker } = await setUp({ autoApproveCustomerAccess: true });
    const as = { customerId: String(customer.id) };
    const id = requestIdOf(await (await submit({ type: "access" }, as)).text());
    await worker.drain();
    await send({ ...as, form: { request: id, code: await pendingCode(id) } });
    expect((await requestRow(id)).status).toBe("approved");
    expect(await getDb().job.count({ where: { kind: "execute_request", requestId: id } })).toBe(1);
    expect(await trail(id)).toContain("system:storefront request.approve");
  });

  it.each([
    ["an erasure from a logged-in customer", "erasure", true],
    ["an access request from a logged-out shopper", "access", false],
  ])("GIVEN auto-approval is on, %s still waits for review", async (_name, type, loggedIn) => {
    const { customer, worker } = await setUp({ autoApproveCustomerAccess: true });
    const as = loggedIn ? { customerId: String(customer.id) } : {};
    const id = requestIdOf(await (await submit({ type, email: "pat.known@example.com" }, as)).text());
    await worker.drain();
    await send({ ...as, form: { request: id, code: await pendingCode(id) } });
    expect((await requestRow(id)).status).toBe("pending_review");
  });

  it.each([
    ["another logged-in customer", { customerId: "999" }],
    ["the same browser logged out", {}],
  ])(
    "GIVEN the right code sent by %s THEN it is refused (404) and the request still waits",
    async (_name, as) => {
      const { customer, worker } = await setUp();
      const id = requestIdOf(
        await (await submit({ type: "erasure" }, { customerId: String(customer.id) })).text(),
      );
      await worker.drain();
      const response = await send({ ...as, form: { request: id, code: await pendingCode(id) } });
      expect(response.status).toBe(404);
      expect((await requestRow(id)).status).toBe("awaiting_verification");
    },
  );
});

describe("rung 3: a logged-out shopper proves the address with a one-time code", () => {
  it("GIVEN a code to the address typed WHEN it is entered THEN the request goes to review", async () => {
    await setUp();
    const page = await (
      await submit({ type: "erasure", email: "pat.known@example.com", message: "Please hurry" })
    ).text();
    expect(page).toContain("If this address can receive email, we have sent it a 6-digit code");
    const id = requestIdOf(page);
    const row = await requestRow(id);
    expect(row.verification!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.verification!.codeHash).not.toContain(await pendingCode(id));
    const emails = await getDb().outboundEmail.findMany({ where: { requestId: id } });
    expect(emails.map((email) => email.template)).toEqual(["verification_code"]);
    const jobs = await getDb().job.findMany({ where: { shopId: row.shopId }, orderBy: { kind: "asc" } });
    // Job payloads hold ids only: never the address or the code.
    const code = await pendingCode(id);
    for (const job of jobs) {
      expect(Object.keys(JSON.parse(job.payload) as object).sort()).toEqual(
        job.kind === "send_email" ? ["emailId", "shopId"] : ["requestId", "shopId"],
      );
      expect(job.payload).not.toContain(code);
    }

    const response = await send({
      form: {
        request: id,
        code: ` ${(await pendingCode(id)).slice(0, 3)} ${(await pendingCode(id)).slice(3)} `,
      },
    });
    expect(response.status).toBe(200);
    expect((await requestRow(id)).status).toBe("pending_review");
  });

  it("counts down wrong codes, locks the code after the fifth, and a new code unlocks it", async () => {
    await setUp();
    const id = requestIdOf(await (await submit({ type: "access", email: "pat.known@example.com" })).text());
    const code = await pendingCode(id);
    const wrong = code === "000000" ? "111111" : "000000";
    for (const left of [4, 3, 2, 1]) {
      const response = await send({ form: { request: id, code: wrong } });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`Attempts left: ${left}.`);
    }
    const fifth = await send({ form: { request: id, code: wrong } });
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain("Too many wrong codes");
    // The right code no longer works: the code is locked, not the request.
    const right = await send({ form: { request: id, code } });
    expect(right.status).toBe(429);
    expect((await requestRow(id)).status).toBe("awaiting_verification");

    clock.advance(61_000);
    const resent = await send({ form: { request: id, resend: "1" } });
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain("We have sent a new code.");
    const fresh = await pendingCode(id);
    expect((await send({ form: { request: id, code: fresh } })).status).toBe(200);
    expect(await trail(id)).toEqual([
      "shopper request.received",
      "shopper request.code_rejected",
      "shopper request.code_rejected",
      "shopper request.code_rejected",
      "shopper request.code_rejected",
      "shopper request.code_locked",
      "shopper request.code_resent",
      "shopper request.verify",
    ]);
  });

  it("refuses a code after 15 minutes (410), and throttles new codes: a minute apart, three at most", async () => {
    await setUp();
    const id = requestIdOf(await (await submit({ type: "access", email: "pat.known@example.com" })).text());
    const code = await pendingCode(id);
    expect((await send({ form: { request: id, resend: "1" } })).status).toBe(429); // too soon
    clock.advance(15 * 60_000 + 1_000);
    const late = await send({ form: { request: id, code } });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain("This code has expired");
    for (let i = 0; i < 3; i += 1) {
      expect((await send({ form: { request: id, resend: "1" } })).status).toBe(200);
      clock.advance(61_000);
    }
    const fourth = await send({ form: { request: id, resend: "1" } });
    expect(fourth.status).toBe(429);
    expect(await fourth.text()).toContain("No more codes can be sent");
  });

  it("GIVEN an address with no Shopify customer THEN the request is recorded, verified, and reviewed as such", async () => {
    const { worker } = await setUp();
    const id = requestIdOf(await (await submit({ type: "access", email: "nobody.here@example.com" })).text());
    await send({ form: { request: id, code: await pendingCode(id) } });
    await worker.drain();
    const request = await getRequestWithEvents(getDb(), getKeyring(), { id });
    expect(request).toMatchObject({
      status: "pending_review",
      customerId: null,
      email: "nobody.here@example.com",
    });
    const lookup = request!.events.find((event) => event.action === "request.customer_lookup");
    expect(lookup!.data).toEqual({ by: "email", customerFound: false });
  });

  it("GIVEN a known address THEN the lookup puts the customer on the request for the merchant's review", async () => {
    const { worker, customer } = await setUp();
    const id = requestIdOf(await (await submit({ type: "erasure", email: "PAT.KNOWN@example.com" })).text());
    await worker.drain();
    expect((await requestRow(id)).customerId).toBe(String(customer.id));
  });

  it("GIVEN a reference that is not a request of this shop THEN 404, and nothing changes", async () => {
    await setUp();
    const response = await send({
      form: { request: "00000000-0000-4000-8000-000000000000", code: "123456" },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("cannot be confirmed here any more");
  });
});

describe("the merchant's verification policy", () => {
  it("shopify_customer_login: a logged-out shopper is asked to sign in (403) and nothing is stored; an opt-out still needs nothing", async () => {
    await setUp({ verificationPolicy: "shopify_customer_login" });
    const refused = await submit({ type: "access", email: "pat.known@example.com" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('href="/account/login?return_url=&#37;2Fapps&#37;2Fprivacy"');
    expect(await getDb().privacyRequest.count()).toBe(0);
    expect((await submit({ type: "sale_opt_out", email: "pat.known@example.com" })).status).toBe(200);
    expect(await getDb().privacyRequest.count()).toBe(1);
  });

  it("manual_review: no code; the store verifies by hand, and the request does not expire while it waits for staff", async () => {
    await setUp({ verificationPolicy: "manual_review" });
    const response = await submit({ type: "erasure", email: "pat.known@example.com" });
    expect(await response.text()).toContain("The store will contact you to confirm who you are");
    const request = await requestRow((await getDb().privacyRequest.findFirstOrThrow()).id);
    expect(request).toMatchObject({
      status: "awaiting_verification",
      verification: { method: "staff", codeHash: null },
    });
    const emails = await getDb().outboundEmail.findMany();
    expect(emails.map((email) => email.template)).toEqual(["request_received"]);
    clock.advance(20 * 24 * 60 * 60_000);
    await storefrontHousekeeping(getDb(), getKeyring(), clock.now());
    expect((await requestRow(request.id)).status).toBe("awaiting_verification");
  });

  it("without SMTP_URL, requests that need a code are refused (503) and nothing is stored; opt-outs still work", async () => {
    await setUp();
    deps = storefrontTestDeps(clock, { mailReady: false });
    const refused = await submit({ type: "access", email: "pat.known@example.com" });
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain("cannot be made on this page at the moment");
    expect(await getDb().privacyRequest.count()).toBe(0);
    expect((await submit({ type: "sale_opt_out", email: "pat.known@example.com" })).status).toBe(200);
  });
});

describe("unverified requests expire", () => {
  it("GIVEN no code was entered for 14 days THEN the request is canceled with the reason, its deadline unchanged from receipt", async () => {
    await setUp();
    const id = requestIdOf(await (await submit({ type: "access", email: "pat.known@example.com" })).text());
    const { dueAt, receivedAt } = await requestRow(id);
    clock.advance(14 * 24 * 60 * 60_000 - 60_000);
    expect((await storefrontHousekeeping(getDb(), getKeyring(), clock.now())).expired).toBe(0);
    clock.advance(120_000);
    expect((await storefrontHousekeeping(getDb(), getKeyring(), clock.now())).expired).toBe(1);
    const row = await requestRow(id);
    expect(row).toMatchObject({
      status: "canceled",
      statusReason: UNVERIFIED_EXPIRY_REASON,
      dueAt,
      receivedAt,
    });
    expect(row.verification!.codeCipher).toBeNull();
  });

  it("GIVEN more requests waiting for staff than one run takes THEN one waiting for its code still expires", async () => {
    await setUp();
    const id = requestIdOf(await (await submit({ type: "access", email: "pat.known@example.com" })).text());
    const { shopId, receivedAt, dueAt } = await requestRow(id);
    // Ids that sort before the code request's, so a run that read only the first 500 would miss it.
    const waitingForStaff = Array.from({ length: 501 }, (_, i) => `0-staff-${String(i).padStart(3, "0")}`);
    await getDb().privacyRequest.createMany({
      data: waitingForStaff.map((staffId) => ({
        id: staffId,
        shopId,
        type: "access",
        status: "awaiting_verification",
        source: "storefront",
        regime: "gdpr",
        receivedAt,
        dueAt,
      })),
    });
    await getDb().storefrontVerification.createMany({
      data: waitingForStaff.map((staffId) => ({
        requestId: staffId,
        shopId,
        method: "staff",
        createdAt: receivedAt,
      })),
    });

    clock.advance(15 * 24 * 60 * 60_000);
    expect((await storefrontHousekeeping(getDb(), getKeyring(), clock.now())).expired).toBe(1);
    expect((await requestRow(id)).status).toBe("canceled");
    expect(await getDb().privacyRequest.count({ where: { status: "awaiting_verification" } })).toBe(501);
  });
});

describe("shop/redact", () => {
  it("removes every storefront row of the shop: codes, emails, texts, counters and spent tokens", async () => {
    const { shop } = await setUp();
    await submit({ type: "access", email: "pat.known@example.com" });
    await getDb().storefrontText.create({
      data: { shopId: shop.id, locale: "en", key: "page.title", value: "Your data" },
    });
    expect(await countAllRows()).toMatchObject({
      verifications: 1,
      emails: 1,
      storefrontTexts: 1,
      formTokens: 1,
    });
    expect((await countAllRows()).rateLimitCounters).toBeGreaterThan(0);
    // Counters across shops (per network address) hold no shop and expire within the hour.
    const shopCounters = await getDb().rateLimitCounter.count({ where: { shopId: shop.id } });

    const { counts } = await purgeShop(getDb(), {
      shopDomain: SHOP,
      shopifyShopId: null,
      webhookId: "purge-1",
      now: clock.now(),
    });

    expect(counts.storefront).toBe(1 + 1 + 1 + shopCounters + 1);
    expect(await countAllRows()).toMatchObject({
      verifications: 0,
      emails: 0,
      storefrontTexts: 0,
      formTokens: 0,
      requests: 0,
    });
    expect(await getDb().rateLimitCounter.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
