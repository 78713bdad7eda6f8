import { fill, isStorefrontLocale, STOREFRONT_LOCALES, type StorefrontLocale } from "./storefront-texts";

/**
 * Every text of the emails to the merchant's notification addresses (review needed, request
 * failed, the daily digest), in each language the app speaks: the shop picks one in Settings
 * ("Team email language"). Plain text with `{name}` placeholders, filled with `fill`; whatever
 * renders them escapes them. A request's type and source are whole phrases per language, so each
 * sentence can agree with them (German and French nouns have a gender; English ones none).
 * `.one` / `.other` pairs are chosen by the language's plural rules.
 */
export const TEAM_EMAIL_LANGUAGES = STOREFRONT_LOCALES;
export type TeamEmailLanguage = StorefrontLocale;
export const DEFAULT_TEAM_EMAIL_LANGUAGE: TeamEmailLanguage = "en";

/** A stored value the app no longer speaks (or none) reads as English rather than failing a send. */
export function teamEmailLanguageOf(value: string | null | undefined): TeamEmailLanguage {
  return isStorefrontLocale(value) ? value : DEFAULT_TEAM_EMAIL_LANGUAGE;
}

const en = {
  "type.access": "access request",
  "type.portability": "portability request",
  "type.rectification": "rectification request",
  "type.erasure": "erasure request",
  "type.sale_opt_out": "sale/share opt-out request",
  "source.shopify_webhook": "from Shopify (customers/data_request)",
  "source.storefront": "from the storefront page",
  "source.customer_account": "from the customer account",
  "source.merchant": "from a staff member",
  "source.gpc": "from a Global Privacy Control signal",
  "review.subject": "Review needed: {type} at {store}",
  "review.body":
    "This {type} {source} waits for an approver to approve or deny it. It must be answered by {date}.",
  "failed.subject": "Failed: {type} at {store}",
  "failed.body":
    "Privacy Desk could not carry out this {type}. It must still be answered by {date}; open it to see why and retry it once the cause is fixed.",
  "notice.reason": "Reason: {reason}",
  "notice.reference":
    "Reference: {reference}. Open Privacy Desk in your Shopify admin and search for the request by its reference.",
  "digest.subject": "{summary}: privacy requests at {store}",
  "digest.heading": "Privacy requests at {store}",
  "digest.body":
    "{summary}. The law counts from the day each request arrived: GDPR one month (extendable once by two months, with reasons told to the requester within the first month), CCPA 45 days (extendable once by 45). Open Privacy Desk in your Shopify admin and search for a request by its reference.",
  "digest.summary.overdue.one": "{count} overdue",
  "digest.summary.overdue.other": "{count} overdue",
  "digest.summary.due_soon.one": "{count} due within 7 days",
  "digest.summary.due_soon.other": "{count} due within 7 days",
  "digest.summary.nothing": "Nothing due",
  "digest.overdue": "Overdue",
  "digest.due_soon": "Due within 7 days",
  "digest.column.request": "Request",
  "digest.column.type": "Type",
  "digest.column.due": "Due",
  "digest.column.left": "Left",
  "digest.type.access": "Access",
  "digest.type.portability": "Portability",
  "digest.type.rectification": "Rectification",
  "digest.type.erasure": "Erasure",
  "digest.type.sale_opt_out": "Sale/share opt-out",
  "digest.days_overdue.one": "{count} day overdue",
  "digest.days_overdue.other": "{count} days overdue",
  "digest.due_today": "due today",
  "digest.days_left.one": "{count} day left",
  "digest.days_left.other": "{count} days left",
};

export type TeamTextKey = keyof typeof en;
export type TeamEmailTexts = Record<TeamTextKey, string>;

const de: TeamEmailTexts = {
  "type.access": "Auskunftsanfrage",
  "type.portability": "Anfrage auf Datenübertragbarkeit",
  "type.rectification": "Berichtigungsanfrage",
  "type.erasure": "Löschanfrage",
  "type.sale_opt_out": "Anfrage gegen Verkauf/Weitergabe der Daten",
  "source.shopify_webhook": "über Shopify (customers/data_request)",
  "source.storefront": "über die Datenschutzseite des Shops",
  "source.customer_account": "über das Kundenkonto",
  "source.merchant": "von einem Teammitglied",
  "source.gpc": "über ein Global-Privacy-Control-Signal",
  "review.subject": "Prüfung erforderlich: {type} bei {store}",
  "review.body":
    "Diese {type} ist {source} eingegangen und wartet darauf, dass eine Person mit Freigaberecht sie genehmigt oder ablehnt. Sie muss bis zum {date} beantwortet werden.",
  "failed.subject": "Fehlgeschlagen: {type} bei {store}",
  "failed.body":
    "Privacy Desk konnte diese {type} nicht ausführen. Sie muss trotzdem bis zum {date} beantwortet werden; öffnen Sie die Anfrage, um den Grund zu sehen, und wiederholen Sie sie, sobald die Ursache behoben ist.",
  "notice.reason": "Grund: {reason}",
  "notice.reference":
    "Referenz: {reference}. Öffnen Sie Privacy Desk in Ihrem Shopify-Adminbereich und suchen Sie die Anfrage über ihre Referenz.",
  "digest.subject": "{summary}: Datenschutzanfragen bei {store}",
  "digest.heading": "Datenschutzanfragen bei {store}",
  "digest.body":
    "{summary}. Die gesetzliche Frist läuft ab dem Tag, an dem eine Anfrage eingegangen ist: DSGVO ein Monat (einmal um zwei Monate verlängerbar; die Gründe sind der anfragenden Person innerhalb des ersten Monats mitzuteilen), CCPA 45 Tage (einmal um 45 Tage verlängerbar). Öffnen Sie Privacy Desk in Ihrem Shopify-Adminbereich und suchen Sie eine Anfrage über ihre Referenz.",
  "digest.summary.overdue.one": "{count} überfällig",
  "digest.summary.overdue.other": "{count} überfällig",
  "digest.summary.due_soon.one": "{count} in den nächsten 7 Tagen fällig",
  "digest.summary.due_soon.other": "{count} in den nächsten 7 Tagen fällig",
  "digest.summary.nothing": "Nichts fällig",
  "digest.overdue": "Überfällig",
  "digest.due_soon": "In den nächsten 7 Tagen fällig",
  "digest.column.request": "Anfrage",
  "digest.column.type": "Art",
  "digest.column.due": "Fällig am",
  "digest.column.left": "Frist",
  "digest.type.access": "Auskunft",
  "digest.type.portability": "Datenübertragbarkeit",
  "digest.type.rectification": "Berichtigung",
  "digest.type.erasure": "Löschung",
  "digest.type.sale_opt_out": "Widerspruch gegen Verkauf/Weitergabe",
  "digest.days_overdue.one": "seit {count} Tag überfällig",
  "digest.days_overdue.other": "seit {count} Tagen überfällig",
  "digest.due_today": "heute fällig",
  "digest.days_left.one": "noch {count} Tag",
  "digest.days_left.other": "noch {count} Tage",
};

const fr: TeamEmailTexts = {
  "type.access": "demande d'accès",
  "type.portability": "demande de portabilité",
  "type.rectification": "demande de rectification",
  "type.erasure": "demande d'effacement",
  "type.sale_opt_out": "demande d'opposition à la vente ou au partage",
  "source.shopify_webhook": "par Shopify (customers/data_request)",
  "source.storefront": "sur la page de la boutique",
  "source.customer_account": "dans le compte client",
  "source.merchant": "d'un membre de l'équipe",
  "source.gpc": "par un signal Global Privacy Control",
  "review.subject": "À examiner : {type} chez {store}",
  "review.body":
    "Cette {type}, reçue {source}, attend qu'une personne habilitée l'approuve ou la refuse. Elle doit recevoir une réponse au plus tard le {date}.",
  "failed.subject": "Échec : {type} chez {store}",
  "failed.body":
    "Privacy Desk n'a pas pu traiter cette {type}. Elle doit tout de même recevoir une réponse au plus tard le {date} ; ouvrez-la pour en voir la raison et relancez-la une fois le problème corrigé.",
  "notice.reason": "Raison : {reason}",
  "notice.reference":
    "Référence : {reference}. Ouvrez Privacy Desk dans l'interface administrateur de Shopify et recherchez la demande par sa référence.",
  "digest.subject": "{summary} : demandes de confidentialité chez {store}",
  "digest.heading": "Demandes de confidentialité chez {store}",
  "digest.body":
    "{summary}. Le délai légal court à partir du jour de réception de chaque demande : RGPD un mois (prolongeable une fois de deux mois, à condition d'en informer le demandeur, motifs à l'appui, dans le premier mois), CCPA 45 jours (prolongeable une fois de 45 jours). Ouvrez Privacy Desk dans l'interface administrateur de Shopify et recherchez une demande par sa référence.",
  "digest.summary.overdue.one": "{count} en retard",
  "digest.summary.overdue.other": "{count} en retard",
  "digest.summary.due_soon.one": "{count} à traiter sous 7 jours",
  "digest.summary.due_soon.other": "{count} à traiter sous 7 jours",
  "digest.summary.nothing": "Rien à traiter",
  "digest.overdue": "En retard",
  "digest.due_soon": "À traiter sous 7 jours",
  "digest.column.request": "Demande",
  "digest.column.type": "Type",
  "digest.column.due": "Échéance",
  "digest.column.left": "Délai",
  "digest.type.access": "Accès",
  "digest.type.portability": "Portabilité",
  "digest.type.rectification": "Rectification",
  "digest.type.erasure": "Effacement",
  "digest.type.sale_opt_out": "Opposition à la vente ou au partage",
  "digest.days_overdue.one": "{count} jour de retard",
  "digest.days_overdue.other": "{count} jours de retard",
  "digest.due_today": "échéance aujourd'hui",
  "digest.days_left.one": "{count} jour restant",
  "digest.days_left.other": "{count} jours restants",
};

const es: TeamEmailTexts = {
  "type.access": "solicitud de acceso",
  "type.portability": "solicitud de portabilidad",
  "type.rectification": "solicitud de rectificación",
  "type.erasure": "solicitud de supresión",
  "type.sale_opt_out": "solicitud de exclusión de la venta o el intercambio de datos",
  "source.shopify_webhook": "a través de Shopify (customers/data_request)",
  "source.storefront": "en la página de la tienda",
  "source.customer_account": "en la cuenta de cliente",
  "source.merchant": "de un miembro del equipo",
  "source.gpc": "mediante una señal de Global Privacy Control",
  "review.subject": "Revisión pendiente: {type} en {store}",
  "review.body":
    "Esta {type}, recibida {source}, espera a que una persona con permiso de aprobación la apruebe o la rechace. Debe responderse a más tardar el {date}.",
  "failed.subject": "Error: {type} en {store}",
  "failed.body":
    "Privacy Desk no pudo llevar a cabo esta {type}. Aun así, debe responderse a más tardar el {date}; ábrala para ver el motivo y vuelva a intentarlo cuando se haya resuelto la causa.",
  "notice.reason": "Motivo: {reason}",
  "notice.reference":
    "Referencia: {reference}. Abra Privacy Desk en el panel de administración de Shopify y busque la solicitud por su referencia.",
  "digest.subject": "{summary}: solicitudes de privacidad en {store}",
  "digest.heading": "Solicitudes de privacidad en {store}",
  "digest.body":
    "{summary}. El plazo legal se cuenta desde el día en que llegó cada solicitud: RGPD, un mes (prorrogable una vez por dos meses, comunicando los motivos a la persona solicitante dentro del primer mes); CCPA, 45 días (prorrogable una vez por otros 45). Abra Privacy Desk en el panel de administración de Shopify y busque una solicitud por su referencia.",
  "digest.summary.overdue.one": "{count} vencida",
  "digest.summary.overdue.other": "{count} vencidas",
  "digest.summary.due_soon.one": "{count} vence en los próximos 7 días",
  "digest.summary.due_soon.other": "{count} vencen en los próximos 7 días",
  "digest.summary.nothing": "Nada pendiente",
  "digest.overdue": "Vencidas",
  "digest.due_soon": "Vencen en los próximos 7 días",
  "digest.column.request": "Solicitud",
  "digest.column.type": "Tipo",
  "digest.column.due": "Vence",
  "digest.column.left": "Plazo",
  "digest.type.access": "Acceso",
  "digest.type.portability": "Portabilidad",
  "digest.type.rectification": "Rectificación",
  "digest.type.erasure": "Supresión",
  "digest.type.sale_opt_out": "Exclusión de venta o intercambio",
  "digest.days_overdue.one": "{count} día de retraso",
  "digest.days_overdue.other": "{count} días de retraso",
  "digest.due_today": "vence hoy",
  "digest.days_left.one": "queda {count} día",
  "digest.days_left.other": "quedan {count} días",
};

export const TEAM_EMAIL_TEXTS: Record<TeamEmailLanguage, TeamEmailTexts> = { en, de, fr, es };

type Plural =
  "digest.summary.overdue" | "digest.summary.due_soon" | "digest.days_overdue" | "digest.days_left";

/** The text for `count` by the language's plural rules (French counts 0 as singular; English does not). */
export function plural(language: TeamEmailLanguage, key: Plural, count: number): string {
  const form = new Intl.PluralRules(language).select(count) === "one" ? "one" : "other";
  return fill(TEAM_EMAIL_TEXTS[language][`${key}.${form}`], { count });
}

/** A request's type or source in `language`; a value the table lacks is shown as stored. */
export function teamText(language: TeamEmailLanguage, key: string): string | null {
  const texts = TEAM_EMAIL_TEXTS[language];
  return Object.hasOwn(texts, key) ? texts[key as TeamTextKey] : null;
}
