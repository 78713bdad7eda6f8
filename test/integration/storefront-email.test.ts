import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { createMailer } from "../../app/services/email/mail-transport.server";
import { redactCustomerData } from "../../app/services/redaction.server";
import { saveTextOverrides } from "../../app/services/storefront/storefront-texts.server";
import { handleStorefrontPage } from "../../app/storefront/storefront-proxy.server";
import { startMailCatcher, type MailCatcher } from "../../simulator/mail-catcher";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { freePort } from "../helpers/processes";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import {
  proxyRequest,
  requestIdOf,
  storefrontTestDeps,
  tokenOf,
  type ProxyRequestOptions,
} from "../helpers/storefront";
import { testExportStorage } from "../helpers/worker-deps";
import { mswServer } from "../setup/test-env";

const clock = manualClock(new Date("2026-11-30T10:00:00.000Z"));
const deps = storefrontTestDeps(clock);
const send = (options: ProxyRequestOptions) => handleStorefrontPage(proxyRequest(clock.now(), options), deps);
const FROM = "Privacy Desk <privacy@desk.example>";

let smtp: MailCatcher;
beforeAll(async () => {
  smtp = await startMailCatcher();
});
afterAll(() => smtp.close());
beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
  smtp.refuse = false;
});
afterEach(() => mswServer.resetHandlers());

async function setUp(smtpUrl = smtp.url) {
  const shopify = simulatedShopify({ email: "pat.known@example.com" });
  shopify.store.name = "Atelier Nord";
  const shop = await getDb().shop.create({ data: { domain: SHOP } });
  const mail = createMailer({ smtpUrl, from: FROM });
  const worker = createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: shopify.admin,
    mail,
    now: clock.now,
    random: () => 0.5,
  });
  return { ...shopify, shop, worker, mail };
}

async function submit(form: Record<string, string>, as: ProxyRequestOptions = {}) {
  const token = tokenOf(await (await send(as)).text());
  return send({ ...as, form: { ...form, token } });
}

const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

describe("emails to shoppers, over real SMTP", () => {
  it("GIVEN a German page WHEN a code is asked for THEN the email reaches the address given, in German, with the code; the sealed code is wiped once sent", async () => {
    const { worker } = await setUp();
    const page = await (
      await submit({ type: "access", email: "pat.known@example.com", locale: "de" })
    ).text();
    const id = requestIdOf(page);

    await worker.drain();

    const mail = await smtp.waitFor((m) => m.envelopeTo.includes("pat.known@example.com"));
    expect(mail.envelopeFrom).toBe("privacy@desk.example");
    // The store's name (Settings › Emails to requesters can change it) at the app's address.
    expect(mail.from).toBe("Atelier Nord <privacy@desk.example>");
    const code = codeIn(mail.text)!;
    expect(mail.subject).toBe(`Ihr Code für Atelier Nord: ${code}`);
    expect(mail.text).toContain("Der Code ist 15 Minuten gültig.");
    expect(mail.text).toContain(`Referenz: ${id}`);
    expect(mail.html).toContain('lang="de"');
    expect(mail.html).toContain(code);
    const row = await getDb().storefrontVerification.findUniqueOrThrow({ where: { requestId: id } });
    expect(row.codeCipher).toBeNull();
    const email = await getDb().outboundEmail.findFirstOrThrow({ where: { requestId: id } });
    expect(email).toMatchObject({ template: "verification_code", locale: "de", status: "sent" });
    expect(email.messageId).toMatch(/^<.+@desk\.example>$/);

    // The code from the email confirms the request, and a receipt follows.
    const done = await send({ form: { request: id, code, locale: "de" } });
    expect(done.status).toBe(200);
    await worker.drain();
    const receipt = await smtp.waitFor((m) => m.subject.includes("Datenschutzanfrage"));
    expect(receipt.subject).toBe("Atelier Nord hat Ihre Datenschutzanfrage erhalten");
    expect(receipt.text).toContain(
      "Atelier Nord hat Ihre Anfrage erhalten: Eine Kopie meiner personenbezogenen Daten erhalten.",
    );
    expect(receipt.text).toMatch(/Der Shop muss bis zum \d{1,2}\. \p{L}+ 2026 antworten\./u);
  });

  it.each([
    ["fr", "Votre code pour Atelier Nord"],
    ["es", "Su código para Atelier Nord"],
    ["en", "Your code for Atelier Nord"],
  ])("writes the code email in %s", async (locale, subject) => {
    const { worker } = await setUp();
    await submit({ type: "erasure", email: "pat.known@example.com", locale });
    await worker.drain();
    const mail = await smtp.waitFor(() => true);
    expect(mail.subject.startsWith(subject)).toBe(true);
  });

  it("sends a logged-in customer's code to the account's address, never one typed into the form", async () => {
    const { worker, customer } = await setUp();
    await submit({ type: "erasure", email: "attacker@example.com" }, { customerId: String(customer.id) });
    await worker.drain();
    expect(smtp.messages.map((m) => m.envelopeTo)).toEqual([["pat.known@example.com"]]);
  });

  it("uses the merchant's wording where they changed it", async () => {
    const { worker, shop } = await setUp();
    await saveTextOverrides(getDb(), getKeyring(), {
      shopId: shop.id,
      locale: "en",
      values: { "email.code.subject": "{store} security code {code}" },
      actor: "staff:1",
      now: clock.now(),
    });
    await submit({ type: "access", email: "pat.known@example.com" });
    await worker.drain();
    const mail = await smtp.waitFor(() => true);
    expect(mail.subject).toMatch(/^Atelier Nord security code \d{6}$/);
  });

  it("GIVEN the mail server is down THEN the request stands, the page said the same, and the job retries with backoff until it is back", async () => {
    // GIVEN a mail server address with nothing listening
    const port = await freePort();
    const { worker } = await setUp(`smtp://127.0.0.1:${port}`);
    const response = await submit({ type: "access", email: "pat.known@example.com" });
    expect(response.status).toBe(200);
    const id = requestIdOf(await response.text());

    // WHEN the worker tries to send
    while ((await worker.runOnce()) !== "idle") {
      /* the lookup, then the first attempt */
    }
    // THEN the email waits for its next try, the request is untouched
    const job = await getDb().job.findFirstOrThrow({ where: { kind: "send_email" } });
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(job.lastError).toMatch(/ECONNREFUSED/);
    expect(job.runAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect((await getDb().privacyRequest.findUniqueOrThrow({ where: { id } })).status).toBe(
      "awaiting_verification",
    );
    expect(await getDb().outboundEmail.findFirstOrThrow()).toMatchObject({ status: "queued" });

    // WHEN the mail server is back and the backoff has passed
    const back = await startMailCatcher(port);
    try {
      clock.advance(10_000);
      await worker.drain();
      // THEN the code goes out
      const mail = await back.waitFor(() => true);
      expect(codeIn(mail.text)).toMatch(/^\d{6}$/);
      expect(await getDb().outboundEmail.findFirstOrThrow()).toMatchObject({ status: "sent" });
    } finally {
      await back.close();
    }
  });

  it("GIVEN a server that keeps refusing THEN the code email is marked failed after its 6 attempts, with the server's answer", async () => {
    const { worker } = await setUp();
    smtp.refuse = true;
    await submit({ type: "access", email: "pat.known@example.com" });
    for (let i = 0; i < 8; i += 1) {
      await worker.drain();
      clock.advance(60_000);
    }
    const email = await getDb().outboundEmail.findFirstOrThrow();
    expect(email).toMatchObject({ status: "failed" });
    expect(email.reason).toMatch(/451 Mailbox unavailable for maintenance.*gave up after 6 attempts/);
    expect((await getDb().job.findFirstOrThrow({ where: { kind: "send_email" } })).attempts).toBe(6);
    expect(smtp.messages).toHaveLength(0);
  });

  it("GIVEN a server that refuses for longer than a code lives THEN the stale code is never sent", async () => {
    const { worker } = await setUp();
    smtp.refuse = true;
    await submit({ type: "access", email: "pat.known@example.com" });
    await worker.drain();
    smtp.refuse = false;
    clock.advance(16 * 60_000);
    await worker.drain();
    expect(smtp.messages).toHaveLength(0);
    expect(await getDb().outboundEmail.findFirstOrThrow()).toMatchObject({
      status: "skipped",
      reason: "The code expired or was locked before it could be sent",
    });
  });

  it("skips an email whose person was erased before it went", async () => {
    const { worker, shop } = await setUp();
    const id = requestIdOf(await (await submit({ type: "access", email: "pat.known@example.com" })).text());
    const row = await getDb().privacyRequest.findUniqueOrThrow({ where: { id } });
    await getDb().$transaction((tx) =>
      redactCustomerData(tx, {
        shopId: shop.id,
        customerId: null,
        emailHash: row.emailHash,
        subjectIds: [row.subjectId!],
        now: clock.now(),
      }),
    );
    await worker.drain();
    expect(smtp.messages).toHaveLength(0);
    expect(await getDb().outboundEmail.findFirstOrThrow()).toMatchObject({ status: "skipped" });
  });
});
