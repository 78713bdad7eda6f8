import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { createMailer } from "../../app/services/email/mail-transport.server";
import { sendQueuedEmail } from "../../app/services/email/send-email.server";
import { transitionRequest } from "../../app/services/requests.server";
import type { RequestEvent } from "../../app/domain/request-lifecycle";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { startSmtpCatcher } from "../helpers/smtp";

beforeEach(resetDatabase);

const NOW = new Date("2026-06-10T08:30:00.000Z");
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
});
afterAll(() => smtp.stop());
beforeEach(() => {
  smtp.messages.length = 0;
});

async function notify(domain: string, addresses: string[]) {
  const shop = await getDb().shop.upsert({ where: { domain }, create: { domain }, update: {} });
  await getDb().shopSettings.create({
    data: {
      shopId: shop.id,
      verificationPolicy: "email_confirmation",
      autoApproveCustomerAccess: false,
      notificationEmails: JSON.stringify(addresses),
      exportRetentionDays: 7,
    },
  });
}

async function move(shopId: string, requestId: string, event: RequestEvent, reason?: string) {
  await getDb().$transaction((tx) =>
    transitionRequest(tx, getKeyring(), { shopId, requestId, event, actor: "staff:1", now: NOW, reason }),
  );
}

async function sendAll(mail = smtp.mailer) {
  const queued = await getDb().outboundEmail.findMany({ where: { status: "queued" } });
  for (const email of queued)
    await sendQueuedEmail(
      { db: getDb(), keyring: getKeyring(), mail, now: () => NOW },
      { shopId: email.shopId, emailId: email.id },
    );
}

describe("emails to the merchant's notification addresses", () => {
  it("GIVEN two shops with their own addresses WHEN a shopper's request in one waits for review THEN only that shop's addresses are told, by reference and without the shopper's address", async () => {
    await notify(SHOP, ["owner@first.example", "dpo@first.example"]);
    await notify(OTHER_SHOP, ["owner@second.example"]);
    const { shop, request } = await createTestRequest({
      source: "storefront",
      verified: false,
      customerId: null,
      email: "shopper@example.com",
      receivedAt: NOW,
    });
    await getDb().privacyRequest.update({
      where: { id: request.id },
      data: { status: "awaiting_verification" },
    });
    await move(shop.id, request.id, "verify");
    await sendAll();

    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to.sort()).toEqual(["dpo@first.example", "owner@first.example"]);
    const raw = smtp.messages[0]!.raw;
    expect(raw).toMatch(/Subject: Review needed: access request at first-store\.myshopify\.com/);
    expect(raw).toContain(`Reference: ${request.id}`);
    expect(raw).not.toContain("shopper@example.com");
  });

  it("GIVEN a Shopify webhook's request WHEN it is recorded waiting for review THEN the addresses are told; a staff member's own recording is not announced to them", async () => {
    await notify(SHOP, ["owner@first.example"]);
    await createTestRequest({ source: "shopify_webhook", receivedAt: NOW });
    await createTestRequest({ source: "merchant", receivedAt: NOW });
    const queued = await getDb().outboundEmail.findMany();
    expect(queued.map((email) => email.template)).toEqual(["staff_review_needed"]);
  });

  it("GIVEN a request that fails WHEN the notice goes out THEN it says why; a shop without addresses queues nothing", async () => {
    await notify(SHOP, ["owner@first.example"]);
    const { shop, request } = await createTestRequest({
      source: "merchant",
      type: "erasure",
      receivedAt: NOW,
    });
    await getDb().privacyRequest.update({ where: { id: request.id }, data: { status: "in_progress" } });
    await move(
      shop.id,
      request.id,
      "fail",
      "Shopify refused the erasure: the app lacks write_customer_data_erasure",
    );
    await sendAll();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.raw).toMatch(/Subject: Failed: erasure request at first-store/);
    expect(smtp.messages[0]!.raw).toContain("Reason: Shopify refused the erasure");

    const { shop: other, request: elsewhere } = await createTestRequest({
      domain: OTHER_SHOP,
      source: "merchant",
      receivedAt: NOW,
    });
    await getDb().privacyRequest.update({ where: { id: elsewhere.id }, data: { status: "in_progress" } });
    await move(other.id, elsewhere.id, "fail", "boom");
    expect(await getDb().outboundEmail.count({ where: { shopId: other.id } })).toBe(0);
  });

  it("GIVEN the mail server is down WHEN the notice's job runs THEN it throws for the queue to retry and the email stays queued, then goes out once the server is back", async () => {
    await notify(SHOP, ["owner@first.example"]);
    await createTestRequest({ source: "shopify_webhook", receivedAt: NOW });
    const down = createMailer({ smtpUrl: "smtp://127.0.0.1:9", from: "Privacy Desk <privacy@desk.example>" });
    await expect(sendAll(down)).rejects.toThrow();
    down.close();
    expect((await getDb().outboundEmail.findFirstOrThrow()).status).toBe("queued");
    await sendAll();
    expect((await getDb().outboundEmail.findFirstOrThrow()).status).toBe("sent");
    expect(smtp.messages).toHaveLength(1);
  });
});
