import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { action, loader } from "../../app/routes/app.settings";
import { planDigests, sendDigest } from "../../app/services/digest.server";
import { createMailer, type Mailer } from "../../app/services/email/mail-transport.server";
import { sendQueuedEmail } from "../../app/services/email/send-email.server";
import { startMailCatcher, type CaughtMail, type MailCatcher } from "../../simulator/mail-catcher";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { countAllRows } from "../helpers/db";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";

beforeEach(resetDatabase);

const DAY = 86_400_000;
const NOW = new Date("2026-06-10T08:30:00.000Z");

let smtp: MailCatcher;
let mailer: Mailer;
beforeAll(async () => {
  smtp = await startMailCatcher();
  mailer = createMailer({ smtpUrl: smtp.url, from: "Privacy Desk <privacy@desk.example>" });
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.messages.length = 0;
});

const preferences = (extra: Record<string, string>) => ({
  intent: "preferences",
  verificationPolicy: "email_confirmation",
  notificationEmails: "",
  exportRetentionDays: "7",
  teamEmailLanguage: "en",
  ...extra,
});

async function post(staff: TestStaff, form: Record<string, string>) {
  const response = await respond(async () =>
    action({ request: await embeddedRequest(staff, "/app/settings", { form }), params: {}, context: {} }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function savedPreferences(staff: TestStaff) {
  const response = await respond(async () =>
    loader({ request: await embeddedRequest(staff, "/app/settings"), params: {}, context: {} }),
  );
  return ((await response.json()) as { preferences: Record<string, unknown> }).preferences;
}

/** A Shopify webhook's CCPA access request (it waits for review) falling due 5 days after NOW. */
async function dueSoonRequest(domain: string) {
  return createTestRequest({
    domain,
    source: "shopify_webhook",
    regime: "ccpa",
    type: "access",
    receivedAt: new Date(NOW.getTime() - 40 * DAY),
    email: `shopper-of-${domain}@example.com`,
  });
}

async function sendQueuedEmails() {
  for (const email of await getDb().outboundEmail.findMany({ where: { status: "queued" } }))
    await sendQueuedEmail(
      { db: getDb(), keyring: getKeyring(), mail: mailer, now: () => NOW },
      { shopId: email.shopId, emailId: email.id },
    );
}

const to = (address: string) => (mail: CaughtMail) => mail.envelopeTo.includes(address);

describe("Settings › Team email language", () => {
  it("GIVEN one shop's admin chooses German and another shop keeps the default WHEN a request waits for review and the digest goes out THEN the first shop's team reads both in German, the other's in English", async () => {
    const owner = await signedInStaff({ userId: "10", owner: true });
    const saved = await post(
      owner,
      preferences({ notificationEmails: "team@first.example", teamEmailLanguage: "de" }),
    );
    expect(saved.status).toBe(200);
    expect(await savedPreferences(owner)).toMatchObject({ teamEmailLanguage: "de" });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "settings.updated" } });
    expect(JSON.parse(audit.data)).toMatchObject({ teamEmailLanguage: "de" });
    // The other shop saved its addresses before the setting existed: the column's default applies.
    const otherShop = await getDb().shop.create({ data: { domain: OTHER_SHOP } });
    await getDb().shopSettings.create({
      data: {
        shopId: otherShop.id,
        verificationPolicy: "email_confirmation",
        autoApproveCustomerAccess: false,
        notificationEmails: JSON.stringify(["team@second.example"]),
        exportRetentionDays: 7,
      },
    });
    const { shop, request } = await dueSoonRequest(SHOP);
    const { request: otherRequest } = await dueSoonRequest(OTHER_SHOP);

    await sendQueuedEmails();
    const notices = await getDb().outboundEmail.findMany({
      where: { template: "staff_review_needed" },
      select: { shopId: true, locale: true, status: true },
    });
    expect(notices).toHaveLength(2);
    expect(notices).toEqual(
      expect.arrayContaining([
        { shopId: shop.id, locale: "de", status: "sent" },
        { shopId: otherShop.id, locale: "en", status: "sent" },
      ]),
    );
    expect(await planDigests(getDb(), NOW)).toHaveLength(2);
    for (const id of [shop.id, otherShop.id])
      await sendDigest({ db: getDb(), mail: mailer, now: () => NOW }, { shopId: id, day: "2026-06-10" });

    const german = smtp.messages.filter(to("team@first.example"));
    const english = smtp.messages.filter(to("team@second.example"));
    expect(german.map((mail) => mail.subject).sort()).toEqual([
      "1 in den nächsten 7 Tagen fällig: Datenschutzanfragen bei first-store.myshopify.com",
      "Prüfung erforderlich: Auskunftsanfrage bei first-store.myshopify.com",
    ]);
    expect(english.map((mail) => mail.subject).sort()).toEqual([
      "1 due within 7 days: privacy requests at second-store.myshopify.com",
      "Review needed: access request at second-store.myshopify.com",
    ]);
    const [germanDigest, germanNotice] = german.sort((a, b) => a.subject.localeCompare(b.subject));
    expect(germanNotice!.text).toContain("Diese Auskunftsanfrage ist über Shopify (customers/data_request)");
    expect(germanNotice!.text).toContain("bis zum 15. Juni 2026 beantwortet werden");
    expect(germanNotice!.text).toContain(`Referenz: ${request.id}`);
    expect(germanDigest!.text).toContain("15.06.2026");
    expect(germanDigest!.text).toContain("noch 5 Tage");
    for (const mail of german) expect(mail.html).toMatch(/<html[^>]* lang="de"/);
    for (const mail of english) {
      expect(mail.html).toMatch(/<html[^>]* lang="en"/);
      expect(mail.text).toContain(otherRequest.id);
      expect(mail.text).not.toContain(request.id);
    }
    for (const mail of smtp.messages) expect(mail.raw).not.toMatch(/shopper-of-/);
  });

  it.each([
    ["a language the app does not speak", "pt"],
    ["a language tag with a region", "de-DE"],
    ["markup", "<script>alert(1)</script>"],
    ["nothing", ""],
  ])(
    "GIVEN an admin WHEN they submit %s as the team email language THEN 400 naming the field, nothing saved",
    async (_case, value) => {
      const owner = await signedInStaff({ userId: "10", owner: true });
      const before = await countAllRows();

      const { status, body } = await post(owner, preferences({ teamEmailLanguage: value }));

      expect(status).toBe(400);
      expect(body).toMatchObject({
        error: "Check the highlighted fields",
        fieldErrors: {
          teamEmailLanguage: "Choose the team email language: English, Deutsch, Français, Español",
        },
      });
      expect(await countAllRows()).toEqual(before);
    },
  );

  it.each(["viewer", "approver"] as const)(
    "GIVEN a %s WHEN they submit German as the team email language THEN 403 and the shop's emails stay English",
    async (role) => {
      await signedInStaff({ userId: "10", owner: true });
      const staff = await signedInStaff({ userId: "11", role });
      const before = await countAllRows();

      const { status } = await post(staff, preferences({ teamEmailLanguage: "de" }));

      expect(status).toBe(403);
      expect(await countAllRows()).toEqual(before);
      expect(await savedPreferences(staff)).toMatchObject({ teamEmailLanguage: "en" });
    },
  );
});
