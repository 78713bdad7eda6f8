import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getExportStorage, getKeyring } from "../../app/keys.server";
import { openAccountTicket, revokeExportLinks } from "../../app/exports/export-links.server";
import { sendQueuedEmail } from "../../app/services/email/send-email.server";
import { transitionRequest } from "../../app/services/requests.server";
import { handleDownloadPage } from "../../app/storefront/download-page.server";
import { OTHER_SHOP, TEST_APP_URL } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { startSmtpCatcher } from "../helpers/smtp";
import { proxyRequest, renderProxyLiquid, storefrontTestDeps } from "../helpers/storefront";

beforeEach(resetDatabase);

const START = new Date("2026-06-10T08:30:00.000Z");
let now = START;
const clock = { now: () => now };
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
});
afterAll(() => smtp.stop());
beforeEach(() => {
  smtp.messages.length = 0;
  now = START;
});

const deps = () => ({ ...storefrontTestDeps(clock), appUrl: TEST_APP_URL });

async function sendAll() {
  const queued = await getDb().outboundEmail.findMany({ where: { status: "queued" } });
  for (const email of queued)
    await sendQueuedEmail(
      { db: getDb(), keyring: getKeyring(), mail: smtp.mailer, now: clock.now },
      { shopId: email.shopId, emailId: email.id },
    );
}

/** A storefront access request from customer 77 whose export is done and whose email went out. */
async function exportEmailed() {
  const { shop, request } = await createTestRequest({
    source: "storefront",
    regime: "gdpr",
    receivedAt: START,
    customerId: "77",
    email: "shopper@example.com",
    locale: "en",
  });
  await getDb().exportFile.create({
    data: {
      id: randomUUID(),
      shopId: shop.id,
      requestId: request.id,
      fileName: "export.zip",
      path: `${shop.id}/missing.zip.enc`,
      keyId: "k1",
      sizeBytes: 10,
      createdAt: START,
      expiresAt: new Date(START.getTime() + 7 * 86_400_000),
    },
  });
  for (const event of ["approve", "start", "complete"] as const)
    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        event,
        actor: "staff:1",
        now: START,
      }),
    );
  await sendAll();
  const token = /\/apps\/privacy\/download\?link=([A-Za-z0-9_-]{43})/.exec(smtp.messages[0]!.raw)![1]!;
  smtp.messages.length = 0;
  return { shop, request, token };
}

const page = (token: string, options: Parameters<typeof proxyRequest>[1] = {}) =>
  handleDownloadPage(
    proxyRequest(now, { path: "/proxy/download", query: [["link", token]], ...options }),
    deps(),
  );

const codeIn = (raw: string) => /\b(\d{6})\b/.exec(raw.slice(raw.indexOf("Subject:")))![1]!;

describe("the download page an export-ready email links to", () => {
  it("GIVEN the emailed link WHEN the shopper opens it, asks for a code and types it THEN they get a one-time download, counted and audited as the emailed link's", async () => {
    const { token } = await exportEmailed();

    const opened = await page(token);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-type")).toContain("application/liquid");
    expect(await renderProxyLiquid(await opened.text(), "de")).toContain(
      "Ihre personenbezogenen Daten herunterladen",
    );
    expect(await getDb().outboundEmail.count({ where: { template: "download_code" } })).toBe(0);

    const sent = await page(token, { form: { action: "send", locale: "de" } });
    expect(sent.status).toBe(200);
    await sendAll();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(["shopper@example.com"]);
    expect(smtp.messages[0]!.raw).toContain("Link zum Herunterladen");
    const code = codeIn(smtp.messages[0]!.raw);
    const link = await getDb().exportLink.findFirstOrThrow({ where: { kind: "email_link" } });
    expect(link.codeCipher).toBeNull(); // wiped once the mail server took it
    expect(link.codeHash).not.toContain(code);

    const wrong = await page(token, {
      form: { action: "download", code: code === "000000" ? "111111" : "000000" },
    });
    expect(wrong.status).toBe(422);
    expect(await renderProxyLiquid(await wrong.text())).toContain("Attempts left: 4");

    const right = await page(token, { form: { action: "download", code } });
    expect(right.status).toBe(200);
    const html = await renderProxyLiquid(await right.text());
    const ticket = new RegExp(`${TEST_APP_URL}/customer-account/download/([A-Za-z0-9_-]{43})`).exec(
      html,
    )![1]!;

    const again = await page(token, { form: { action: "download", code } });
    expect(again.status).toBe(422); // the code worked once

    const download = await openAccountTicket(getDb(), getKeyring(), getExportStorage(), {
      token: ticket,
      now,
    });
    expect(download.status).toBe(200);
    const second = await openAccountTicket(getDb(), getKeyring(), getExportStorage(), { token: ticket, now });
    expect(second.status).toBe(410);
    expect(await getDb().exportLink.findUniqueOrThrow({ where: { id: link.id } })).toMatchObject({
      downloads: 1,
      lastDownloadAt: now,
    });
    const audit = await getDb().auditEvent.findMany({ where: { action: "export.downloaded" } });
    expect(audit.map((event) => [event.actor, JSON.parse(event.data ?? "{}").linkId])).toEqual([
      ["requester:email_link", link.id],
    ]);
  });

  it("GIVEN a code was just sent WHEN another is asked for within the minute THEN none is sent, and after it one is", async () => {
    const { token } = await exportEmailed();
    expect((await page(token, { form: { action: "send", locale: "en" } })).status).toBe(200);
    expect((await page(token, { form: { action: "send", locale: "en" } })).status).toBe(429);
    later(61_000);
    expect((await page(token, { form: { action: "send", locale: "en" } })).status).toBe(200);
    expect(await getDb().outboundEmail.count({ where: { template: "download_code" } })).toBe(2);
  });

  it("GIVEN five wrong codes WHEN the right one follows THEN it no longer works", async () => {
    const { token } = await exportEmailed();
    await page(token, { form: { action: "send", locale: "en" } });
    await sendAll();
    const code = codeIn(smtp.messages[0]!.raw);
    const wrongCode = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await page(token, { form: { action: "download", code: wrongCode } });
    expect((await page(token, { form: { action: "download", code } })).status).toBe(422);
    expect(await getDb().exportLink.count({ where: { kind: "email_ticket" } })).toBe(0);
  });

  it("GIVEN the signed-in customer who made the request WHEN they open the link THEN they download without a code, and any other signed-in customer still needs one", async () => {
    const { token } = await exportEmailed();
    const owner = await page(token, { customerId: "77" });
    expect(await renderProxyLiquid(await owner.text())).toContain("You are signed in as the customer");
    expect((await page(token, { customerId: "77", form: { action: "download" } })).status).toBe(200);

    const stranger = await page(token, { customerId: "78", form: { action: "download" } });
    expect(stranger.status).toBe(422);
    expect(await getDb().exportLink.count({ where: { kind: "email_ticket" } })).toBe(1);
  });

  it("GIVEN a link WHEN it is opened through another shop's proxy, after the merchant revoked it, or after the export expired THEN it no longer works, and no code is sent", async () => {
    const { shop, request, token } = await exportEmailed();
    await getDb().shop.create({ data: { domain: OTHER_SHOP } });
    expect((await page(token, { shop: OTHER_SHOP })).status).toBe(404);
    expect((await page(token, { shop: OTHER_SHOP, form: { action: "send", locale: "en" } })).status).toBe(
      404,
    );
    expect((await page("A".repeat(43))).status).toBe(404);

    await page(token, { form: { action: "send", locale: "en" } });
    await revokeExportLinks(getDb(), getKeyring(), {
      shopId: shop.id,
      requestId: request.id,
      actor: "staff:1",
      now,
    });
    await sendAll();
    expect(smtp.messages).toHaveLength(0); // the code queued before the revocation is not sent
    const revoked = await page(token);
    expect(revoked.status).toBe(404);
    expect(await renderProxyLiquid(await revoked.text())).toContain("the store revoked it");
    expect((await page(token, { customerId: "77", form: { action: "download" } })).status).toBe(404);

    const { token: second } = await exportEmailed();
    later(8 * 86_400_000);
    expect((await page(second)).status).toBe(404);
  });

  it("GIVEN a forged or replayed proxy request WHEN it asks for a code THEN it is refused before anything is read", async () => {
    const { token } = await exportEmailed();
    const forged = await page(token, { sign: false, form: { action: "send", locale: "en" } });
    expect(forged.status).toBe(401);
    const replayed = await page(token, {
      timestamp: Math.floor(now.getTime() / 1000) - 3600,
      form: { action: "send", locale: "en" },
    });
    expect(replayed.status).toBe(401);
    expect(await getDb().outboundEmail.count({ where: { template: "download_code" } })).toBe(0);
  });

  it("GIVEN the app cannot send email WHEN the shopper asks for a code THEN the page says so (503) and queues nothing", async () => {
    const { token } = await exportEmailed();
    const response = await handleDownloadPage(
      proxyRequest(now, {
        path: "/proxy/download",
        query: [["link", token]],
        form: { action: "send", locale: "en" },
      }),
      { ...deps(), mailReady: false },
    );
    expect(response.status).toBe(503);
    expect(await renderProxyLiquid(await response.text())).toContain("Codes cannot be emailed at the moment");
    expect(await getDb().outboundEmail.count({ where: { template: "download_code" } })).toBe(0);
  });
});
