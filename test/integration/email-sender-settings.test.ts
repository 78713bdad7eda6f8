import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { action } from "../../app/routes/app.settings";
import { sendQueuedEmail } from "../../app/services/email/send-email.server";
import { extendDeadline } from "../../app/services/requests.server";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { startSmtpCatcher } from "../helpers/smtp";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
});
afterAll(() => smtp.stop());
beforeEach(() => {
  smtp.messages.length = 0;
});

async function post(staff: TestStaff, form: Record<string, string>) {
  const response = await respond(async () =>
    action({ request: await embeddedRequest(staff, "/app/settings", { form }), params: {}, context: {} }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const preferences = (extra: Record<string, string>) => ({
  intent: "preferences",
  verificationPolicy: "email_confirmation",
  notificationEmails: "",
  exportRetentionDays: "7",
  teamEmailLanguage: "en",
  ...extra,
});

async function extendedRequestEmail() {
  const { shop, request } = await createTestRequest({
    source: "storefront",
    customerId: null,
    email: "shopper@example.com",
    locale: "en",
  });
  await getDb().$transaction((tx) =>
    extendDeadline(tx, getKeyring(), {
      shopId: shop.id,
      requestId: request.id,
      reason: "Many orders to go through",
      actor: "staff:1",
      now: new Date(),
    }),
  );
  const email = await getDb().outboundEmail.findFirstOrThrow();
  await sendQueuedEmail(
    { db: getDb(), keyring: getKeyring(), mail: smtp.mailer, now: () => new Date() },
    { shopId: shop.id, emailId: email.id },
  );
  return smtp.messages[0]!.raw;
}

describe("Settings: who requester emails come from", () => {
  it("GIVEN an admin sets a sender name, a reply-to address and holding exports WHEN a requester is emailed THEN the email comes from that name at the app's address and replies go to the merchant", async () => {
    const owner = await signedInStaff({ userId: "10", owner: true });
    const saved = await post(
      owner,
      preferences({
        emailSenderName: "Acme Privacy Team",
        emailReplyTo: "privacy@acme.example",
        holdExportsForRelease: "on",
      }),
    );
    expect(saved.status).toBe(200);
    expect(await getDb().shopSettings.findFirstOrThrow()).toMatchObject({
      emailSenderName: "Acme Privacy Team",
      emailReplyTo: "privacy@acme.example",
      holdExportsForRelease: true,
    });

    const raw = await extendedRequestEmail();
    expect(raw).toMatch(/^From: "?Acme Privacy Team"? <privacy@desk\.example>/m);
    expect(raw).toMatch(/^Reply-To: privacy@acme\.example/m);
  });

  it("GIVEN no sender name WHEN a requester is emailed THEN it comes from the store's name, with no reply-to", async () => {
    const raw = await extendedRequestEmail();
    expect(raw).toMatch(/^From: "?first-store\.myshopify\.com"? <privacy@desk\.example>/m);
    expect(raw).not.toMatch(/^Reply-To:/m);
  });

  it("GIVEN a sender name that would forge an address, or a bad reply-to WHEN saved THEN 400 naming each field and nothing is saved", async () => {
    const owner = await signedInStaff({ userId: "10", owner: true });
    const { status, body } = await post(
      owner,
      preferences({
        emailSenderName: 'Shopify Support" <support@shopify.com>',
        emailReplyTo: "not an address",
      }),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({
      fieldErrors: {
        emailSenderName: expect.stringContaining("cannot contain"),
        emailReplyTo: expect.stringContaining("The reply-to address"),
      },
    });
    expect(await getDb().shopSettings.count()).toBe(0);
  });
});
