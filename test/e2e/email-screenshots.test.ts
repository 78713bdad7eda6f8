import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { resolveTexts, type StorefrontLocale } from "../../app/domain/storefront-texts";
import { renderDigestEmail } from "../../app/services/email/digest-email";
import {
  renderEmail,
  type EmailData,
  type RenderedEmail,
} from "../../app/services/email/render-email.server";
import { renderStaffNotice } from "../../app/services/email/staff-notice-email";
import { axeViolations, launchBrowser, newPage, screenshot } from "../helpers/browser";

/**
 * Every email Privacy Desk sends, rendered by the same code the send job uses and shown in
 * Chromium: a screenshot of each (requester and merchant emails, in English and German) for
 * review, and a check that each reads in its language without serious accessibility problems.
 */
let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
});
afterAll(() => browser?.close());

const REFERENCE = "3f2a6c1e-8d4b-4a7e-9c1f-2b5d7e9a0c11";
const common = (locale: StorefrontLocale) => ({
  locale,
  texts: resolveTexts(locale),
  store: "Demo Store",
  reference: REFERENCE,
});

function requesterEmails(locale: StorefrontLocale): [string, Promise<RenderedEmail>][] {
  const c = common(locale);
  const t = c.texts;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date("2026-12-30T00:00:00Z"),
  );
  const notice = (subject: string, paragraphs: string[], link?: EmailData["export_ready"]["link"]) => ({
    ...c,
    subject,
    paragraphs,
    link,
  });
  const fill = (text: string, values: Record<string, string> = {}) =>
    text.replace(/\{([a-z]+)\}/g, (_, name: string) => ({ store: c.store, date, ...values })[name] ?? "");
  return [
    ["verification_code", renderEmail("verification_code", { ...c, code: "482913" })],
    ["download_code", renderEmail("download_code", { ...c, code: "052771" })],
    [
      "request_received",
      renderEmail("request_received", { ...c, typeLabel: t["type.access"], optOut: false, dueDate: date }),
    ],
    [
      "request_extended",
      renderEmail(
        "request_extended",
        notice(fill(t["email.extended.subject"]), [
          fill(t["email.extended.body"], { type: t["type.access"] }),
          fill(t["email.extended.reason"], { reason: "Many orders over several years to go through" }),
        ]),
      ),
    ],
    [
      "request_denied",
      renderEmail(
        "request_denied",
        notice(fill(t["email.denied.subject"]), [
          fill(t["email.denied.body"], { type: t["type.erasure"] }),
          fill(t["email.denied.reason"], { reason: "We could not confirm the request came from you" }),
          t["email.denied.complaint"],
        ]),
      ),
    ],
    [
      "request_completed-erasure",
      renderEmail(
        "request_completed",
        notice(fill(t["email.completed.subject"]), [
          fill(t["email.completed.erasure"]),
          t["email.completed.erasure_kept"],
        ]),
      ),
    ],
    [
      "export_ready",
      renderEmail(
        "export_ready",
        notice(
          fill(t["email.export.subject"]),
          [t["email.export.body"].replace("{store}", c.store), fill(t["email.export.expiry"])],
          {
            label: t["email.export.link"],
            url: "https://demo-store.myshopify.com/apps/privacy/download?link=Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg",
          },
        ),
      ),
    ],
  ];
}

async function show(name: string, rendered: RenderedEmail) {
  await page.setContent(rendered.html, { waitUntil: "load" });
  const file = await screenshot(page, `email-${name}`);
  return { file, text: await page.locator("body").innerText() };
}

describe("every email, as the send job renders it", () => {
  for (const locale of ["en", "de"] as const)
    it(`shows each requester email in ${locale}`, async () => {
      for (const [name, pending] of requesterEmails(locale)) {
        const rendered = await pending;
        const { text } = await show(`${name}-${locale}`, rendered);
        expect(await page.locator("html").getAttribute("lang")).toBe(locale);
        expect(text).toContain("Demo Store");
        expect(text).toContain(REFERENCE);
        const violations = await axeViolations(page.mainFrame());
        expect(
          violations.filter((v) => v.impact === "critical"),
          `${name}-${locale}`,
        ).toEqual([]);
      }
    });

  // What each team email must read in its language: the review notice's sentence, the failure's
  // reason line, the digest's summary, and the due date as that language writes it.
  const TEAM = {
    en: { waits: "waits for an approver", reason: "Reason: Shopify refused", summary: "1 overdue" },
    de: {
      waits: "wartet darauf, dass eine Person",
      reason: "Grund: Shopify refused",
      summary: "1 überfällig",
    },
  } as const;
  for (const language of ["en", "de"] as const)
    it(`shows the merchant's emails (review needed, failed, daily digest) in ${language}`, async () => {
      const dueAt = new Date("2026-12-30T00:00:00Z");
      const longDate = new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(
        dueAt,
      );
      const base = {
        language,
        store: "Demo Store",
        reference: REFERENCE,
        type: "erasure",
        source: "storefront",
        dueAt,
      };
      const emails = [
        [
          "staff_review_needed",
          await renderStaffNotice({ ...base, notice: "staff_review_needed", reason: null }),
          [TEAM[language].waits, longDate],
        ],
        [
          "staff_request_failed",
          await renderStaffNotice({
            ...base,
            notice: "staff_request_failed",
            reason: "Shopify refused the erasure: the app lacks write_customer_data_erasure",
          }),
          [TEAM[language].reason, longDate],
        ],
        [
          "digest",
          await renderDigestEmail({
            language,
            store: "Demo Store",
            digest: {
              overdue: [{ id: REFERENCE, type: "access", status: "pending_review", dueAt, daysLeft: -2 }],
              dueSoon: [],
            },
          }),
          [TEAM[language].summary],
        ],
      ] as const;
      for (const [name, rendered, phrases] of emails) {
        const { text } = await show(`${name}-${language}`, rendered);
        expect(await page.locator("html").getAttribute("lang")).toBe(language);
        for (const phrase of phrases) expect(text, `${name}-${language}`).toContain(phrase);
        expect(text).toContain(REFERENCE);
        const violations = await axeViolations(page.mainFrame());
        expect(
          violations.filter((v) => v.impact === "critical"),
          `${name}-${language}`,
        ).toEqual([]);
      }
    });
});
