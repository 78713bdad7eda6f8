import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { releaseExport, tokenHash } from "../../app/exports/export-links.server";
import { sendQueuedEmail } from "../../app/services/email/send-email.server";
import type { Mailer } from "../../app/services/email/mail-transport.server";
import { extendDeadline, transitionRequest } from "../../app/services/requests.server";
import type { RequestEvent } from "../../app/domain/request-lifecycle";
import { SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { startSmtpCatcher, type CaughtMessage } from "../helpers/smtp";

beforeEach(resetDatabase);

const NOW = new Date("2026-06-10T08:30:00.000Z");
const DAY = 86_400_000;

let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
let messages: CaughtMessage[];
let mailer: Mailer;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  messages = smtp.messages;
  mailer = smtp.mailer;
});
afterAll(() => smtp.stop());
beforeEach(() => {
  messages.length = 0;
});

/** A shopper's own request, as the storefront records it (verified, in their language). */
async function shopperRequest(fields: Parameters<typeof createTestRequest>[0] = {}) {
  return createTestRequest({
    source: "storefront",
    regime: "gdpr",
    receivedAt: NOW,
    customerId: null,
    email: "shopper@example.com",
    locale: "de",
    ...fields,
  });
}

async function move(shopId: string, requestId: string, ...events: RequestEvent[]) {
  for (const event of events)
    await getDb().$transaction((tx) =>
      transitionRequest(tx, getKeyring(), {
        shopId,
        requestId,
        event,
        actor: "staff:1",
        now: NOW,
        reason: event === "deny" ? "Wir konnten Ihre Identität nicht bestätigen <b>" : undefined,
      }),
    );
}

/** Runs every queued send_email job's work, as the worker would. */
async function sendAll() {
  const queued = await getDb().outboundEmail.findMany({
    where: { status: "queued" },
    orderBy: { createdAt: "asc" },
  });
  for (const email of queued)
    await sendQueuedEmail(
      { db: getDb(), keyring: getKeyring(), mail: mailer, now: () => NOW },
      { shopId: email.shopId, emailId: email.id },
    );
  return getDb().outboundEmail.findMany({ orderBy: { createdAt: "asc" } });
}

async function exportFileFor(
  shopId: string,
  requestId: string,
  expiresAt = new Date(NOW.getTime() + 7 * DAY),
) {
  return getDb().exportFile.create({
    data: {
      id: randomUUID(),
      shopId,
      requestId,
      fileName: "export.zip",
      path: `${shopId}/${requestId}.zip.enc`,
      keyId: "k1",
      sizeBytes: 10,
      createdAt: NOW,
      expiresAt,
    },
  });
}

describe("emails to the requester as their request moves on", () => {
  it("GIVEN a German shopper's request WHEN the deadline is extended THEN they get, in German, the new date and the reason", async () => {
    const { shop, request } = await shopperRequest();
    await getDb().$transaction((tx) =>
      extendDeadline(tx, getKeyring(), {
        shopId: shop.id,
        requestId: request.id,
        reason: "Viele Bestellungen müssen geprüft werden",
        actor: "staff:1",
        now: NOW,
      }),
    );
    const emails = await sendAll();
    expect(emails.map((e) => [e.template, e.locale, e.status])).toEqual([["request_extended", "de", "sent"]]);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.to).toEqual(["shopper@example.com"]);
    const raw = messages[0]!.raw;
    expect(raw).toContain("braucht mehr Zeit");
    // GDPR: one month, extended by two more (10 June + 1 month = 10 July, + 2 months = 10 September).
    expect(raw).toContain("10. September 2026");
    expect(raw).toContain("Der Grund: Viele Bestellungen müssen geprüft werden");
  });

  it("GIVEN a request WHEN it is denied THEN the email gives the reason, escaped, and how to complain to a supervisory authority", async () => {
    const { shop, request } = await shopperRequest({ locale: "en", type: "erasure" });
    await move(shop.id, request.id, "deny");
    await sendAll();
    expect(messages).toHaveLength(1);
    const raw = messages[0]!.raw;
    expect(raw).toMatch(/Subject: .*did not carry out your privacy request/);
    expect(raw).toContain("The reason: Wir konnten Ihre Identität nicht bestätigen &lt;b&gt;");
    const html = raw.slice(raw.indexOf("Content-Type: text/html"));
    expect(html).toContain("bestätigen &lt;b&gt;</p>");
    expect(html).not.toContain("bestätigen <b>");
    expect(raw).toContain("supervisory authority");
  });

  it("GIVEN an erasure WHEN it completes THEN the email confirms it and says what Shopify still keeps and why", async () => {
    const { shop, request } = await shopperRequest({ locale: "fr", type: "erasure" });
    await move(shop.id, request.id, "approve", "start", "complete");
    await sendAll();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.raw).toContain("a supprimé les données personnelles");
    expect(messages[0]!.raw).toContain("Ce qui est conservé, et pourquoi");
    expect(messages[0]!.raw).toContain("180 jours");
  });

  it("GIVEN rectification and opt-out requests WHEN they complete THEN each email confirms what was done", async () => {
    const { shop, request: rectification } = await shopperRequest({ locale: "es", type: "rectification" });
    const { request: optOut } = await shopperRequest({
      locale: "en",
      type: "sale_opt_out",
      email: "other@example.com",
    });
    await move(shop.id, rectification.id, "approve", "start", "complete");
    await move(shop.id, optOut.id, "approve", "start", "complete");
    await sendAll();
    const byRecipient = Object.fromEntries(messages.map((m) => [m.to[0], m.raw]));
    expect(byRecipient["shopper@example.com"]).toContain("ha corregido sus datos personales");
    expect(byRecipient["other@example.com"]).toContain(
      "not to have your personal information sold or shared",
    );
  });

  it("GIVEN an access request WHEN its export is recorded THEN the email links to the store's download page with a token only its hash of is stored, expiring with the export", async () => {
    const { shop, request } = await shopperRequest({ locale: "en" });
    const file = await exportFileFor(shop.id, request.id);
    await move(shop.id, request.id, "approve", "start", "complete");
    await sendAll();
    expect(messages).toHaveLength(1);
    const url = /https:\/\/[^\s"<>]+\/apps\/privacy\/download\?link=([A-Za-z0-9_-]{43})/.exec(
      messages[0]!.raw,
    );
    expect(url?.[0]).toContain(`https://${SHOP}/apps/privacy/download?link=`);
    const links = await getDb().exportLink.findMany();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      kind: "email_link",
      exportId: file.id,
      tokenHash: tokenHash(url![1]!),
      expiresAt: file.expiresAt,
    });
    expect(JSON.stringify(links)).not.toContain(url![1]!);
  });

  it("GIVEN a shop that holds exports for release WHEN the export is recorded THEN nothing is sent until an approver releases it", async () => {
    const { shop, request } = await shopperRequest({ locale: "en" });
    await getDb().shopSettings.create({
      data: {
        shopId: shop.id,
        verificationPolicy: "email_confirmation",
        autoApproveCustomerAccess: false,
        notificationEmails: "[]",
        exportRetentionDays: 7,
        holdExportsForRelease: true,
      },
    });
    const file = await exportFileFor(shop.id, request.id);
    await move(shop.id, request.id, "approve", "start", "complete");
    expect(await sendAll()).toEqual([]);
    expect(messages).toHaveLength(0);

    await releaseExport(getDb(), getKeyring(), {
      shopId: shop.id,
      exportId: file.id,
      actor: "staff:1",
      now: NOW,
    });
    const emails = await sendAll();
    expect(emails.map((e) => [e.template, e.status])).toEqual([["export_ready", "sent"]]);
    expect(messages[0]!.raw).toContain("/apps/privacy/download?link=");
  });

  it("GIVEN requests that did not come from the shopper (a Shopify webhook, the merchant, a privacy signal) WHEN they are denied or completed THEN nobody is emailed", async () => {
    for (const source of ["shopify_webhook", "merchant", "gpc"] as const) {
      const { shop, request } = await shopperRequest({
        source,
        type: "erasure",
        email: `${source}@example.com`,
      });
      await getDb().privacyRequest.update({ where: { id: request.id }, data: { status: "in_progress" } });
      await move(shop.id, request.id, "complete");
      const { request: denied } = await shopperRequest({ source, type: "rectification" });
      await getDb().privacyRequest.update({ where: { id: denied.id }, data: { status: "pending_review" } });
      await move(shop.id, denied.id, "deny");
    }
    expect(await getDb().outboundEmail.count()).toBe(0);
  });

  it("GIVEN a denial that a retry has since reversed WHEN the queued email runs THEN it is skipped, not sent stale", async () => {
    const { shop, request } = await shopperRequest({ locale: "en" });
    await move(shop.id, request.id, "deny");
    await getDb().privacyRequest.update({ where: { id: request.id }, data: { status: "pending_review" } });
    const emails = await sendAll();
    expect(emails.map((e) => [e.template, e.status, e.reason])).toEqual([
      ["request_denied", "skipped", "The request is no longer denied"],
    ]);
    expect(messages).toHaveLength(0);
  });
});
