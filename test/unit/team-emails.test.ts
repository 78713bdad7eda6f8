import { describe, expect, it } from "vitest";
import type { DigestItem } from "../../app/domain/digest";
import { placeholdersOf } from "../../app/domain/storefront-texts";
import {
  TEAM_EMAIL_LANGUAGES,
  TEAM_EMAIL_TEXTS,
  teamEmailLanguageOf,
  type TeamEmailLanguage,
  type TeamTextKey,
} from "../../app/domain/team-email-texts";
import { renderDigestEmail } from "../../app/services/email/digest-email";
import { renderStaffNotice, type StaffNoticeData } from "../../app/services/email/staff-notice-email";

const REFERENCE = "3f2a6c1e-8d4b-4a7e-9c1f-2b5d7e9a0c11";
const DUE = new Date("2026-12-30T00:00:00Z");
const REASON = "Shopify refused the erasure: the app lacks write_customer_data_erasure";

/** What each language must say, written out by hand (not derived from the tables under test). */
const EXPECTED: Record<
  TeamEmailLanguage,
  {
    reviewSubject: string;
    reviewBody: string;
    failedSubject: string;
    failedBody: string;
    reason: string;
    longDate: string;
    digestSubject: string;
    digestType: string;
    mediumDate: string;
    twoDaysOverdue: string;
    oneDayLeft: string;
  }
> = {
  en: {
    reviewSubject: "Review needed: erasure request at Demo Store",
    reviewBody: "This erasure request from the storefront page waits for an approver",
    failedSubject: "Failed: erasure request at Demo Store",
    failedBody: "Privacy Desk could not carry out this erasure request.",
    reason: `Reason: ${REASON}`,
    longDate: "December 30, 2026",
    digestSubject: "1 overdue, 1 due within 7 days: privacy requests at Demo Store",
    digestType: "Access",
    mediumDate: "Dec 30, 2026",
    twoDaysOverdue: "2 days overdue",
    oneDayLeft: "1 day left",
  },
  de: {
    reviewSubject: "Prüfung erforderlich: Löschanfrage bei Demo Store",
    reviewBody: "Diese Löschanfrage ist über die Datenschutzseite des Shops eingegangen",
    failedSubject: "Fehlgeschlagen: Löschanfrage bei Demo Store",
    failedBody: "Privacy Desk konnte diese Löschanfrage nicht ausführen.",
    reason: `Grund: ${REASON}`,
    longDate: "30. Dezember 2026",
    digestSubject: "1 überfällig, 1 in den nächsten 7 Tagen fällig: Datenschutzanfragen bei Demo Store",
    digestType: "Auskunft",
    mediumDate: "30.12.2026",
    twoDaysOverdue: "seit 2 Tagen überfällig",
    oneDayLeft: "noch 1 Tag",
  },
  fr: {
    reviewSubject: "À examiner : demande d'effacement chez Demo Store",
    reviewBody: "Cette demande d'effacement, reçue sur la page de la boutique, attend",
    failedSubject: "Échec : demande d'effacement chez Demo Store",
    failedBody: "Privacy Desk n'a pas pu traiter cette demande d'effacement.",
    reason: `Raison : ${REASON}`,
    longDate: "30 décembre 2026",
    digestSubject: "1 en retard, 1 à traiter sous 7 jours : demandes de confidentialité chez Demo Store",
    digestType: "Accès",
    mediumDate: "30 déc. 2026",
    twoDaysOverdue: "2 jours de retard",
    oneDayLeft: "1 jour restant",
  },
  es: {
    reviewSubject: "Revisión pendiente: solicitud de supresión en Demo Store",
    reviewBody: "Esta solicitud de supresión, recibida en la página de la tienda, espera",
    failedSubject: "Error: solicitud de supresión en Demo Store",
    failedBody: "Privacy Desk no pudo llevar a cabo esta solicitud de supresión.",
    reason: `Motivo: ${REASON}`,
    longDate: "30 de diciembre de 2026",
    digestSubject: "1 vencida, 1 vence en los próximos 7 días: solicitudes de privacidad en Demo Store",
    digestType: "Acceso",
    mediumDate: "30 dic 2026",
    twoDaysOverdue: "2 días de retraso",
    oneDayLeft: "queda 1 día",
  },
};

/** Words a language spells as English does. */
const SAME_WORD = new Set(["fr digest.column.type", "fr digest.type.rectification"]);

const notice = (language: TeamEmailLanguage, which: StaffNoticeData["notice"]) =>
  renderStaffNotice({
    notice: which,
    language,
    store: "Demo Store",
    reference: REFERENCE,
    type: "erasure",
    source: "storefront",
    dueAt: DUE,
    reason: which === "staff_request_failed" ? REASON : null,
  });

const item = (id: string, type: string, daysLeft: number): DigestItem => ({
  id,
  type,
  status: "pending_review",
  dueAt: DUE,
  daysLeft,
});

describe("the merchant's emails in the shop's team email language", () => {
  it.each(TEAM_EMAIL_LANGUAGES)(
    "GIVEN the team language %s WHEN a review-needed notice is rendered THEN its subject, text, lang and date are in that language",
    async (language) => {
      const expected = EXPECTED[language];

      const email = await notice(language, "staff_review_needed");

      expect(email.subject).toBe(expected.reviewSubject);
      expect(email.text).toContain(expected.reviewBody);
      expect(email.text).toContain(expected.longDate);
      expect(email.text).toContain(REFERENCE);
      expect(email.html).toMatch(new RegExp(`<html[^>]* lang="${language}"`));
    },
  );

  it.each(TEAM_EMAIL_LANGUAGES)(
    "GIVEN the team language %s WHEN a request-failed notice is rendered THEN it says so in that language, with the recorded reason",
    async (language) => {
      const expected = EXPECTED[language];

      const email = await notice(language, "staff_request_failed");

      expect(email.subject).toBe(expected.failedSubject);
      expect(email.text).toContain(expected.failedBody);
      expect(email.text).toContain(expected.reason);
      expect(email.text).toContain(expected.longDate);
      expect(email.html).toMatch(new RegExp(`<html[^>]* lang="${language}"`));
    },
  );

  it.each(TEAM_EMAIL_LANGUAGES)(
    "GIVEN the team language %s WHEN the digest is rendered THEN summary, type names, dates and days are in that language",
    async (language) => {
      const expected = EXPECTED[language];

      const email = await renderDigestEmail({
        language,
        store: "Demo Store",
        digest: { overdue: [item("req-overdue", "access", -2)], dueSoon: [item("req-soon", "erasure", 1)] },
      });

      expect(email.subject).toBe(expected.digestSubject);
      for (const phrase of [
        expected.digestType,
        expected.mediumDate,
        expected.twoDaysOverdue,
        expected.oneDayLeft,
      ])
        expect(email.text).toContain(phrase);
      expect(email.html).toMatch(new RegExp(`<html[^>]* lang="${language}"`));
    },
  );

  it.each(TEAM_EMAIL_LANGUAGES.filter((language) => language !== "en"))(
    "GIVEN the %s table THEN it has every English text, none left in English, each with the same placeholders",
    (language) => {
      const english = TEAM_EMAIL_TEXTS.en;
      const texts = TEAM_EMAIL_TEXTS[language];
      expect(Object.keys(texts).sort()).toEqual(Object.keys(english).sort());
      for (const key of Object.keys(english) as TeamTextKey[]) {
        expect([...placeholdersOf(texts[key])].sort(), `${language} ${key}`).toEqual(
          [...placeholdersOf(english[key])].sort(),
        );
        if (!SAME_WORD.has(`${language} ${key}`))
          expect(texts[key], `${language} ${key}`).not.toBe(english[key]);
      }
    },
  );

  it("GIVEN a store name with markup WHEN a notice is rendered THEN the HTML shows it as text and the subject stays one line", async () => {
    const email = await renderStaffNotice({
      notice: "staff_review_needed",
      language: "de",
      store: '<img src=x onerror="alert(1)">\r\nBcc: evil@example.com',
      reference: REFERENCE,
      type: "erasure",
      source: "storefront",
      dueAt: DUE,
      reason: null,
    });

    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("&lt;img src=x");
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it.each([
    ["de", "de"],
    ["fr", "fr"],
    ["en", "en"],
    ["pt", "en"],
    ["", "en"],
    [null, "en"],
  ])("GIVEN a stored team language %s THEN emails are written in %s", (stored, language) => {
    expect(teamEmailLanguageOf(stored)).toBe(language);
  });
});
