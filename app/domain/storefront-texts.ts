/**
 * Every text a shopper reads from Privacy Desk (the storefront pages and the emails), in each
 * language the app speaks, and the merchant's overrides (Settings › Storefront texts). Texts are
 * plain text: whatever renders them escapes them for HTML, Liquid or email. `{name}` marks a
 * value the app fills in; an override may use only the placeholders its default has. Whatever a
 * merchant writes, the code email still shows the code: the template prints it, not a text.
 */

export const STOREFRONT_LOCALES = ["en", "de", "fr", "es"] as const;
export type StorefrontLocale = (typeof STOREFRONT_LOCALES)[number];
export const DEFAULT_LOCALE: StorefrontLocale = "en";

export const LOCALE_NAMES: Record<StorefrontLocale, string> = {
  en: "English",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
};

export function isStorefrontLocale(value: unknown): value is StorefrontLocale {
  return typeof value === "string" && (STOREFRONT_LOCALES as readonly string[]).includes(value);
}

/** `fr`, `fr-CA`, `FR_ca` → `fr`; null for a language the app does not speak or a malformed tag. */
export function storefrontLocaleOf(tag: string | null | undefined): StorefrontLocale | null {
  if (!tag || tag.length > 35 || !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  const language = tag.split(/[-_]/)[0]!.toLowerCase();
  return isStorefrontLocale(language) ? language : null;
}

/**
 * The first language the app speaks among `candidates` (most trusted first), else English.
 * Accept-Language values are read in the order of their quality.
 */
export function negotiateLocale(
  candidates: (string | null | undefined)[],
  acceptLanguage?: string | null,
): StorefrontLocale {
  for (const candidate of candidates) {
    const locale = storefrontLocaleOf(candidate);
    if (locale) return locale;
  }
  for (const tag of acceptLanguageTags(acceptLanguage)) {
    const locale = storefrontLocaleOf(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

function acceptLanguageTags(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 500)
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{1,3})?)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

const en = {
  "page.title": "Privacy requests",
  "page.intro":
    "Ask this store for a copy of your personal data, to correct or delete it, or not to sell or share it.",
  "form.type": "What would you like to do?",
  "type.access": "Get a copy of my personal data",
  "type.portability": "Get my personal data in a portable format",
  "type.rectification": "Correct my personal data",
  "type.erasure": "Delete my personal data",
  "type.sale_opt_out": "Do not sell or share my personal information",
  "form.email": "Email address",
  "form.email_hint": "To confirm it is you, we send a one-time code to this address.",
  "form.signed_in":
    "You are signed in to your account. To confirm it is you, we send a one-time code to your account's email address.",
  "form.corrections": "What should be corrected?",
  "form.corrections_hint": "Fill in only what should change.",
  "form.first_name": "First name",
  "form.last_name": "Last name",
  "form.new_email": "Email address",
  "form.phone": "Phone number",
  "form.message": "Anything else we should know? (optional)",
  "form.submit": "Send request",
  "form.required": "required",
  "form.errors": "Please correct the following:",
  "form.confirm": "Please check your request, then send it.",
  "error.type": "Choose what you would like to do.",
  "error.email": "Enter your email address, for example name@example.com.",
  "error.message": "Your message is too long, or contains characters we cannot accept.",
  "error.corrections": "Tell us at least one thing to correct, in a valid format.",
  "error.name": "Names can be up to 255 characters, without special control characters.",
  "error.form": "This form could not be read. Please reload the page and try again.",
  "login.required": "Please sign in to your account to make this request, then come back to this page.",
  "login.link": "Sign in",
  "code.title": "Check your email",
  "code.sent":
    "If this address can receive email, we have sent it a 6-digit code. Enter it below within 15 minutes.",
  "code.sent_account":
    "We have sent a 6-digit code to your account's email address. Enter it below within 15 minutes.",
  "code.label": "6-digit code",
  "code.submit": "Confirm",
  "code.resend": "Send a new code",
  "code.wrong": "That code is not right. Attempts left: {count}.",
  "code.format": "Enter the 6 digits from the email.",
  "code.expired": "This code has expired. Send a new code to continue.",
  "code.locked": "Too many wrong codes. Send a new code to try again.",
  "code.resent": "We have sent a new code.",
  "code.resend_wait": "Please wait a minute before asking for another code.",
  "code.resend_limit": "No more codes can be sent for this request. Please make a new request.",
  "code.unknown": "This request cannot be confirmed here any more. Please make a new request.",
  "done.title": "Request received",
  "done.verified":
    "Thank you: your request is confirmed. The store will answer it within the time the law allows and tell you by email.",
  "done.opt_out":
    "Your choice not to have your personal information sold or shared has been recorded and is being applied.",
  "done.staff": "Thank you. The store will contact you to confirm who you are before acting on your request.",
  "done.reference": "Reference",
  "limit.title": "Too many requests",
  "limit.body": "Please wait {minutes} minutes, then try again.",
  "gone.title": "Page expired",
  "gone.body": "This page is no longer valid. Please reload it and send the form again.",
  "unavailable.body":
    "Requests confirmed by email cannot be made on this page at the moment. Please try again later or contact the store.",
  "restart.link": "Make a new request",
  "gpc.honoured": "Opt-out preference signal honoured",
  "email.greeting": "Hello,",
  "email.code.subject": "Your code for {store}: {code}",
  "email.code.body":
    "Someone, hopefully you, asked {store} to act on the personal data it holds about this email address. To confirm the request, enter this code on the store's page:",
  "email.code.expiry":
    "The code is valid for 15 minutes. If you did not ask for it, ignore this email: nothing happens without the code.",
  "email.receipt.subject": "{store} received your privacy request",
  "email.receipt.body": "{store} received your request: {type}.",
  "email.receipt.deadline": "The store must answer by {date}. You will hear from it by email.",
  "email.receipt.opt_out": "Your choice not to have your personal information sold or shared is recorded.",
  "email.footer": "Reference: {reference}. This email was sent on behalf of {store} by Privacy Desk.",
  "download.title": "Download your personal data",
  "download.intro":
    "To make sure it is you, we send a one-time code to the email address this link was sent to.",
  "download.signed_in":
    "You are signed in as the customer who made this request: you can download your data directly.",
  "download.send": "Send me a code",
  "download.code": "Code from the email",
  "download.submit": "Download",
  "download.sent": "We sent a code to your email address. It is valid for 15 minutes.",
  "download.wait":
    "A code was sent less than a minute ago. Please check your inbox, or wait a minute before asking for another.",
  "download.wrong": "That code is not right. Attempts left: {attempts}.",
  "download.expired": "This code has expired or was used too many times. Ask for a new code.",
  "download.ready":
    "Your download is ready. If it does not start, use this link (it works once, for 5 minutes):",
  "download.gone.title": "This link no longer works",
  "download.gone.body":
    "The link has expired, the store revoked it, or the copy of your data was deleted. You can make a new request.",
  "download.unavailable":
    "Codes cannot be emailed at the moment, so the download cannot be opened here. Please try again later or contact the store.",
  "email.download_code.body":
    "Someone, hopefully you, opened the link to download your personal data from {store}. To download it, enter this code on the page:",
  "email.extended.subject": "{store} needs more time for your privacy request",
  "email.extended.body":
    "{store} needs more time to answer your request: {type}. The new deadline is {date}.",
  "email.extended.reason": "The reason: {reason}",
  "email.denied.subject": "{store} did not carry out your privacy request",
  "email.denied.body": "{store} did not carry out your request: {type}.",
  "email.denied.reason": "The reason: {reason}",
  "email.denied.complaint":
    "If you disagree, reply to this email. You also have the right to lodge a complaint with a data protection supervisory authority, in particular where you live or work (in the EU, the EDPB lists them at edpb.europa.eu; in California, the California Privacy Protection Agency at cppa.ca.gov).",
  "email.completed.subject": "{store} completed your privacy request",
  "email.completed.rectification": "{store} corrected your personal data as you asked.",
  "email.completed.opt_out":
    "{store} recorded your choice not to have your personal information sold or shared and applies it from now on.",
  "email.completed.erasure":
    "{store} deleted the personal data about you that it held in Privacy Desk and asked Shopify to erase your personal data from the store.",
  "email.completed.erasure_kept":
    "What is still kept, and why: Shopify removes personal details such as your name, addresses and contact details, but keeps order records without them (what was sold, when and for how much), which the store needs for its accounts and taxes. If you ordered in the last 180 days, Shopify waits until 180 days after that order before it erases your details, in case of a refund or chargeback.",
  "email.export.subject": "Your personal data from {store} is ready",
  "email.export.body":
    "{store} prepared a copy of your personal data. To download it, open the page below; to make sure it is you, it first sends a one-time code to this email address.",
  "email.export.link": "Open the download page",
  "email.export.expiry": "The link works until {date}. Then the copy is deleted; you can ask for a new one.",
};

export type TextKey = keyof typeof en;
export type StorefrontTexts = Record<TextKey, string>;
export const TEXT_KEYS = Object.keys(en) as TextKey[];

const de: StorefrontTexts = {
  "page.title": "Datenschutzanfragen",
  "page.intro":
    "Bitten Sie diesen Shop um eine Kopie Ihrer personenbezogenen Daten, um deren Berichtigung oder Löschung, oder darum, sie nicht zu verkaufen oder weiterzugeben.",
  "form.type": "Was möchten Sie tun?",
  "type.access": "Eine Kopie meiner personenbezogenen Daten erhalten",
  "type.portability": "Meine Daten in einem übertragbaren Format erhalten",
  "type.rectification": "Meine personenbezogenen Daten berichtigen",
  "type.erasure": "Meine personenbezogenen Daten löschen",
  "type.sale_opt_out": "Meine personenbezogenen Daten nicht verkaufen oder weitergeben",
  "form.email": "E-Mail-Adresse",
  "form.email_hint": "Zur Bestätigung senden wir einen Einmalcode an diese Adresse.",
  "form.signed_in":
    "Sie sind in Ihrem Kundenkonto angemeldet. Zur Bestätigung senden wir einen Einmalcode an die E-Mail-Adresse Ihres Kontos.",
  "form.corrections": "Was soll berichtigt werden?",
  "form.corrections_hint": "Füllen Sie nur aus, was sich ändern soll.",
  "form.first_name": "Vorname",
  "form.last_name": "Nachname",
  "form.new_email": "E-Mail-Adresse",
  "form.phone": "Telefonnummer",
  "form.message": "Möchten Sie uns noch etwas mitteilen? (optional)",
  "form.submit": "Anfrage senden",
  "form.required": "Pflichtfeld",
  "form.errors": "Bitte korrigieren Sie Folgendes:",
  "form.confirm": "Bitte prüfen Sie Ihre Anfrage und senden Sie sie dann ab.",
  "error.type": "Wählen Sie, was Sie tun möchten.",
  "error.email": "Geben Sie Ihre E-Mail-Adresse ein, zum Beispiel name@example.com.",
  "error.message": "Ihre Nachricht ist zu lang oder enthält Zeichen, die wir nicht annehmen können.",
  "error.corrections": "Nennen Sie mindestens eine Angabe, die berichtigt werden soll, in gültiger Form.",
  "error.name": "Namen dürfen bis zu 255 Zeichen lang sein, ohne Steuerzeichen.",
  "error.form":
    "Dieses Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  "login.required":
    "Bitte melden Sie sich in Ihrem Kundenkonto an, um diese Anfrage zu stellen, und kehren Sie dann auf diese Seite zurück.",
  "login.link": "Anmelden",
  "code.title": "Prüfen Sie Ihre E-Mails",
  "code.sent":
    "Falls diese Adresse E-Mails empfangen kann, haben wir einen 6-stelligen Code dorthin gesendet. Geben Sie ihn innerhalb von 15 Minuten unten ein.",
  "code.sent_account":
    "Wir haben einen 6-stelligen Code an die E-Mail-Adresse Ihres Kontos gesendet. Geben Sie ihn innerhalb von 15 Minuten unten ein.",
  "code.label": "6-stelliger Code",
  "code.submit": "Bestätigen",
  "code.resend": "Neuen Code senden",
  "code.wrong": "Dieser Code ist nicht richtig. Verbleibende Versuche: {count}.",
  "code.format": "Geben Sie die 6 Ziffern aus der E-Mail ein.",
  "code.expired": "Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.",
  "code.locked": "Zu viele falsche Codes. Fordern Sie einen neuen Code an, um es erneut zu versuchen.",
  "code.resent": "Wir haben einen neuen Code gesendet.",
  "code.resend_wait": "Bitte warten Sie eine Minute, bevor Sie einen weiteren Code anfordern.",
  "code.resend_limit":
    "Für diese Anfrage können keine weiteren Codes gesendet werden. Bitte stellen Sie eine neue Anfrage.",
  "code.unknown": "Diese Anfrage kann hier nicht mehr bestätigt werden. Bitte stellen Sie eine neue Anfrage.",
  "done.title": "Anfrage erhalten",
  "done.verified":
    "Vielen Dank: Ihre Anfrage ist bestätigt. Der Shop beantwortet sie innerhalb der gesetzlichen Frist und informiert Sie per E-Mail.",
  "done.opt_out":
    "Ihr Widerspruch gegen den Verkauf oder die Weitergabe Ihrer personenbezogenen Daten wurde erfasst und wird umgesetzt.",
  "done.staff":
    "Vielen Dank. Der Shop wird Sie kontaktieren, um Ihre Identität zu bestätigen, bevor er Ihre Anfrage bearbeitet.",
  "done.reference": "Referenz",
  "limit.title": "Zu viele Anfragen",
  "limit.body": "Bitte warten Sie {minutes} Minuten und versuchen Sie es dann erneut.",
  "gone.title": "Seite abgelaufen",
  "gone.body":
    "Diese Seite ist nicht mehr gültig. Bitte laden Sie sie neu und senden Sie das Formular erneut.",
  "unavailable.body":
    "Anfragen mit Bestätigung per E-Mail sind auf dieser Seite derzeit nicht möglich. Bitte versuchen Sie es später erneut oder wenden Sie sich an den Shop.",
  "restart.link": "Neue Anfrage stellen",
  "gpc.honoured": "Opt-out-Präferenzsignal berücksichtigt",
  "email.greeting": "Guten Tag,",
  "email.code.subject": "Ihr Code für {store}: {code}",
  "email.code.body":
    "Jemand, hoffentlich Sie, hat {store} gebeten, die zu dieser E-Mail-Adresse gespeicherten personenbezogenen Daten zu bearbeiten. Um die Anfrage zu bestätigen, geben Sie diesen Code auf der Seite des Shops ein:",
  "email.code.expiry":
    "Der Code ist 15 Minuten gültig. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Code geschieht nichts.",
  "email.receipt.subject": "{store} hat Ihre Datenschutzanfrage erhalten",
  "email.receipt.body": "{store} hat Ihre Anfrage erhalten: {type}.",
  "email.receipt.deadline": "Der Shop muss bis zum {date} antworten. Sie erhalten die Antwort per E-Mail.",
  "email.receipt.opt_out":
    "Ihr Widerspruch gegen den Verkauf oder die Weitergabe Ihrer personenbezogenen Daten ist erfasst.",
  "email.footer":
    "Referenz: {reference}. Diese E-Mail wurde im Auftrag von {store} von Privacy Desk gesendet.",
  "download.title": "Ihre personenbezogenen Daten herunterladen",
  "download.intro":
    "Um sicherzugehen, dass Sie es sind, senden wir einen Einmalcode an die E-Mail-Adresse, an die dieser Link geschickt wurde.",
  "download.signed_in":
    "Sie sind als der Kunde angemeldet, der diese Anfrage gestellt hat: Sie können Ihre Daten direkt herunterladen.",
  "download.send": "Code senden",
  "download.code": "Code aus der E-Mail",
  "download.submit": "Herunterladen",
  "download.sent": "Wir haben einen Code an Ihre E-Mail-Adresse gesendet. Er ist 15 Minuten gültig.",
  "download.wait":
    "Vor weniger als einer Minute wurde ein Code gesendet. Bitte sehen Sie in Ihr Postfach oder warten Sie eine Minute, bevor Sie einen neuen anfordern.",
  "download.wrong": "Dieser Code ist nicht richtig. Verbleibende Versuche: {attempts}.",
  "download.expired":
    "Dieser Code ist abgelaufen oder wurde zu oft falsch eingegeben. Fordern Sie einen neuen Code an.",
  "download.ready":
    "Ihr Download ist bereit. Falls er nicht startet, nutzen Sie diesen Link (er funktioniert einmal, 5 Minuten lang):",
  "download.gone.title": "Dieser Link funktioniert nicht mehr",
  "download.gone.body":
    "Der Link ist abgelaufen, der Shop hat ihn widerrufen, oder die Kopie Ihrer Daten wurde gelöscht. Sie können eine neue Anfrage stellen.",
  "download.unavailable":
    "Codes können im Moment nicht per E-Mail gesendet werden, daher ist der Download hier nicht möglich. Bitte versuchen Sie es später erneut oder wenden Sie sich an den Shop.",
  "email.download_code.body":
    "Jemand, hoffentlich Sie, hat den Link zum Herunterladen Ihrer personenbezogenen Daten von {store} geöffnet. Geben Sie zum Herunterladen diesen Code auf der Seite ein:",
  "email.extended.subject": "{store} braucht mehr Zeit für Ihre Datenschutzanfrage",
  "email.extended.body":
    "{store} braucht mehr Zeit, um Ihre Anfrage zu beantworten: {type}. Die neue Frist endet am {date}.",
  "email.extended.reason": "Der Grund: {reason}",
  "email.denied.subject": "{store} hat Ihre Datenschutzanfrage nicht ausgeführt",
  "email.denied.body": "{store} hat Ihre Anfrage nicht ausgeführt: {type}.",
  "email.denied.reason": "Der Grund: {reason}",
  "email.denied.complaint":
    "Wenn Sie nicht einverstanden sind, antworten Sie auf diese E-Mail. Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren, insbesondere dort, wo Sie wohnen oder arbeiten (der EDSA listet sie unter edpb.europa.eu auf).",
  "email.completed.subject": "{store} hat Ihre Datenschutzanfrage erledigt",
  "email.completed.rectification": "{store} hat Ihre personenbezogenen Daten wie gewünscht berichtigt.",
  "email.completed.opt_out":
    "{store} hat Ihren Widerspruch gegen den Verkauf oder die Weitergabe Ihrer personenbezogenen Daten erfasst und beachtet ihn ab sofort.",
  "email.completed.erasure":
    "{store} hat die personenbezogenen Daten, die es in Privacy Desk über Sie hatte, gelöscht und Shopify gebeten, Ihre personenbezogenen Daten aus dem Shop zu löschen.",
  "email.completed.erasure_kept":
    "Was bleibt, und warum: Shopify entfernt persönliche Angaben wie Ihren Namen, Ihre Adressen und Kontaktdaten, behält aber Bestelldaten ohne diese Angaben (was, wann und zu welchem Preis verkauft wurde), die der Shop für Buchhaltung und Steuern braucht. Haben Sie in den letzten 180 Tagen bestellt, löscht Shopify Ihre Angaben erst 180 Tage nach dieser Bestellung, für den Fall einer Erstattung oder Rückbuchung.",
  "email.export.subject": "Ihre personenbezogenen Daten von {store} sind bereit",
  "email.export.body":
    "{store} hat eine Kopie Ihrer personenbezogenen Daten erstellt. Öffnen Sie zum Herunterladen die Seite unten; um sicherzugehen, dass Sie es sind, sendet sie zuerst einen Einmalcode an diese E-Mail-Adresse.",
  "email.export.link": "Download-Seite öffnen",
  "email.export.expiry":
    "Der Link gilt bis zum {date}. Danach wird die Kopie gelöscht; Sie können eine neue anfordern.",
};

const fr: StorefrontTexts = {
  "page.title": "Demandes relatives à vos données",
  "page.intro":
    "Demandez à cette boutique une copie de vos données personnelles, leur rectification ou leur suppression, ou de ne pas les vendre ni les partager.",
  "form.type": "Que souhaitez-vous faire ?",
  "type.access": "Obtenir une copie de mes données personnelles",
  "type.portability": "Obtenir mes données dans un format portable",
  "type.rectification": "Rectifier mes données personnelles",
  "type.erasure": "Supprimer mes données personnelles",
  "type.sale_opt_out": "Ne pas vendre ni partager mes informations personnelles",
  "form.email": "Adresse e-mail",
  "form.email_hint":
    "Pour confirmer qu'il s'agit bien de vous, nous envoyons un code à usage unique à cette adresse.",
  "form.signed_in":
    "Vous êtes connecté à votre compte. Pour confirmer qu'il s'agit bien de vous, nous envoyons un code à usage unique à l'adresse e-mail de votre compte.",
  "form.corrections": "Que faut-il rectifier ?",
  "form.corrections_hint": "Remplissez uniquement ce qui doit changer.",
  "form.first_name": "Prénom",
  "form.last_name": "Nom",
  "form.new_email": "Adresse e-mail",
  "form.phone": "Numéro de téléphone",
  "form.message": "Souhaitez-vous ajouter quelque chose ? (facultatif)",
  "form.submit": "Envoyer la demande",
  "form.required": "obligatoire",
  "form.errors": "Veuillez corriger les points suivants :",
  "form.confirm": "Vérifiez votre demande, puis envoyez-la.",
  "error.type": "Choisissez ce que vous souhaitez faire.",
  "error.email": "Saisissez votre adresse e-mail, par exemple nom@example.com.",
  "error.message": "Votre message est trop long ou contient des caractères que nous ne pouvons pas accepter.",
  "error.corrections": "Indiquez au moins un élément à rectifier, dans un format valide.",
  "error.name": "Les noms peuvent comporter jusqu'à 255 caractères, sans caractères de contrôle.",
  "error.form": "Ce formulaire n'a pas pu être lu. Veuillez recharger la page et réessayer.",
  "login.required":
    "Veuillez vous connecter à votre compte pour faire cette demande, puis revenir sur cette page.",
  "login.link": "Se connecter",
  "code.title": "Consultez vos e-mails",
  "code.sent":
    "Si cette adresse peut recevoir des e-mails, nous lui avons envoyé un code à 6 chiffres. Saisissez-le ci-dessous dans les 15 minutes.",
  "code.sent_account":
    "Nous avons envoyé un code à 6 chiffres à l'adresse e-mail de votre compte. Saisissez-le ci-dessous dans les 15 minutes.",
  "code.label": "Code à 6 chiffres",
  "code.submit": "Confirmer",
  "code.resend": "Envoyer un nouveau code",
  "code.wrong": "Ce code n'est pas correct. Tentatives restantes : {count}.",
  "code.format": "Saisissez les 6 chiffres de l'e-mail.",
  "code.expired": "Ce code a expiré. Demandez un nouveau code pour continuer.",
  "code.locked": "Trop de codes erronés. Demandez un nouveau code pour réessayer.",
  "code.resent": "Nous avons envoyé un nouveau code.",
  "code.resend_wait": "Veuillez patienter une minute avant de demander un autre code.",
  "code.resend_limit":
    "Plus aucun code ne peut être envoyé pour cette demande. Veuillez faire une nouvelle demande.",
  "code.unknown": "Cette demande ne peut plus être confirmée ici. Veuillez faire une nouvelle demande.",
  "done.title": "Demande reçue",
  "done.verified":
    "Merci : votre demande est confirmée. La boutique y répondra dans le délai prévu par la loi et vous en informera par e-mail.",
  "done.opt_out":
    "Votre choix de ne pas voir vos informations personnelles vendues ou partagées a été enregistré et est en cours d'application.",
  "done.staff":
    "Merci. La boutique vous contactera pour confirmer votre identité avant de traiter votre demande.",
  "done.reference": "Référence",
  "limit.title": "Trop de demandes",
  "limit.body": "Veuillez patienter {minutes} minutes, puis réessayer.",
  "gone.title": "Page expirée",
  "gone.body": "Cette page n'est plus valide. Veuillez la recharger et renvoyer le formulaire.",
  "unavailable.body":
    "Les demandes confirmées par e-mail ne peuvent pas être faites sur cette page pour le moment. Veuillez réessayer plus tard ou contacter la boutique.",
  "restart.link": "Faire une nouvelle demande",
  "gpc.honoured": "Signal de préférence de refus respecté",
  "email.greeting": "Bonjour,",
  "email.code.subject": "Votre code pour {store} : {code}",
  "email.code.body":
    "Quelqu'un, vous sans doute, a demandé à {store} d'agir sur les données personnelles qu'elle détient au sujet de cette adresse e-mail. Pour confirmer la demande, saisissez ce code sur la page de la boutique :",
  "email.code.expiry":
    "Le code est valable 15 minutes. Si vous ne l'avez pas demandé, ignorez cet e-mail : rien ne se passe sans le code.",
  "email.receipt.subject": "{store} a reçu votre demande relative à vos données",
  "email.receipt.body": "{store} a reçu votre demande : {type}.",
  "email.receipt.deadline":
    "La boutique doit répondre au plus tard le {date}. Vous recevrez sa réponse par e-mail.",
  "email.receipt.opt_out":
    "Votre choix de ne pas voir vos informations personnelles vendues ou partagées est enregistré.",
  "email.footer":
    "Référence : {reference}. Cet e-mail a été envoyé pour le compte de {store} par Privacy Desk.",
  "download.title": "Télécharger vos données personnelles",
  "download.intro":
    "Pour vérifier qu’il s’agit bien de vous, nous envoyons un code à usage unique à l’adresse e-mail à laquelle ce lien a été envoyé.",
  "download.signed_in":
    "Vous êtes connecté en tant que client ayant fait cette demande : vous pouvez télécharger vos données directement.",
  "download.send": "M’envoyer un code",
  "download.code": "Code reçu par e-mail",
  "download.submit": "Télécharger",
  "download.sent": "Nous avons envoyé un code à votre adresse e-mail. Il est valable 15 minutes.",
  "download.wait":
    "Un code a été envoyé il y a moins d’une minute. Consultez votre boîte de réception, ou attendez une minute avant d’en demander un autre.",
  "download.wrong": "Ce code n’est pas correct. Tentatives restantes : {attempts}.",
  "download.expired": "Ce code a expiré ou a été saisi trop de fois. Demandez un nouveau code.",
  "download.ready":
    "Votre téléchargement est prêt. S’il ne démarre pas, utilisez ce lien (il fonctionne une fois, pendant 5 minutes) :",
  "download.gone.title": "Ce lien ne fonctionne plus",
  "download.gone.body":
    "Le lien a expiré, la boutique l’a révoqué, ou la copie de vos données a été supprimée. Vous pouvez faire une nouvelle demande.",
  "download.unavailable":
    "Les codes ne peuvent pas être envoyés par e-mail pour le moment : le téléchargement n’est donc pas possible ici. Réessayez plus tard ou contactez la boutique.",
  "email.download_code.body":
    "Quelqu’un, vous sans doute, a ouvert le lien pour télécharger vos données personnelles chez {store}. Pour les télécharger, saisissez ce code sur la page :",
  "email.extended.subject": "{store} a besoin de plus de temps pour votre demande",
  "email.extended.body":
    "{store} a besoin de plus de temps pour répondre à votre demande : {type}. Le nouveau délai expire le {date}.",
  "email.extended.reason": "La raison : {reason}",
  "email.denied.subject": "{store} n’a pas donné suite à votre demande",
  "email.denied.body": "{store} n’a pas donné suite à votre demande : {type}.",
  "email.denied.reason": "La raison : {reason}",
  "email.denied.complaint":
    "Si vous n’êtes pas d’accord, répondez à cet e-mail. Vous avez aussi le droit d’introduire une réclamation auprès d’une autorité de contrôle de la protection des données, notamment là où vous résidez ou travaillez (en France, la CNIL ; le CEPD les liste sur edpb.europa.eu).",
  "email.completed.subject": "{store} a traité votre demande relative à vos données",
  "email.completed.rectification": "{store} a rectifié vos données personnelles comme vous l’avez demandé.",
  "email.completed.opt_out":
    "{store} a enregistré votre refus de la vente ou du partage de vos informations personnelles et l’applique désormais.",
  "email.completed.erasure":
    "{store} a supprimé les données personnelles vous concernant qu’il détenait dans Privacy Desk et a demandé à Shopify d’effacer vos données personnelles de la boutique.",
  "email.completed.erasure_kept":
    "Ce qui est conservé, et pourquoi : Shopify supprime vos informations personnelles telles que votre nom, vos adresses et vos coordonnées, mais conserve les commandes sans ces informations (ce qui a été vendu, quand et à quel prix), dont la boutique a besoin pour sa comptabilité et ses impôts. Si vous avez commandé au cours des 180 derniers jours, Shopify attend 180 jours après cette commande avant d’effacer vos informations, en cas de remboursement ou de rétrofacturation.",
  "email.export.subject": "Vos données personnelles chez {store} sont prêtes",
  "email.export.body":
    "{store} a préparé une copie de vos données personnelles. Pour la télécharger, ouvrez la page ci-dessous ; pour vérifier qu’il s’agit bien de vous, elle envoie d’abord un code à usage unique à cette adresse e-mail.",
  "email.export.link": "Ouvrir la page de téléchargement",
  "email.export.expiry":
    "Le lien est valable jusqu’au {date}. Ensuite, la copie est supprimée ; vous pourrez en demander une nouvelle.",
};

const es: StorefrontTexts = {
  "page.title": "Solicitudes de privacidad",
  "page.intro":
    "Pida a esta tienda una copia de sus datos personales, que los corrija o los elimine, o que no los venda ni los comparta.",
  "form.type": "¿Qué desea hacer?",
  "type.access": "Obtener una copia de mis datos personales",
  "type.portability": "Obtener mis datos en un formato portable",
  "type.rectification": "Corregir mis datos personales",
  "type.erasure": "Eliminar mis datos personales",
  "type.sale_opt_out": "No vender ni compartir mi información personal",
  "form.email": "Correo electrónico",
  "form.email_hint": "Para confirmar que es usted, enviamos un código de un solo uso a esta dirección.",
  "form.signed_in":
    "Ha iniciado sesión en su cuenta. Para confirmar que es usted, enviamos un código de un solo uso al correo electrónico de su cuenta.",
  "form.corrections": "¿Qué hay que corregir?",
  "form.corrections_hint": "Rellene solo lo que deba cambiar.",
  "form.first_name": "Nombre",
  "form.last_name": "Apellidos",
  "form.new_email": "Correo electrónico",
  "form.phone": "Número de teléfono",
  "form.message": "¿Algo más que debamos saber? (opcional)",
  "form.submit": "Enviar solicitud",
  "form.required": "obligatorio",
  "form.errors": "Corrija lo siguiente:",
  "form.confirm": "Revise su solicitud y después envíela.",
  "error.type": "Elija lo que desea hacer.",
  "error.email": "Introduzca su correo electrónico, por ejemplo nombre@example.com.",
  "error.message": "Su mensaje es demasiado largo o contiene caracteres que no podemos aceptar.",
  "error.corrections": "Indique al menos un dato que corregir, con un formato válido.",
  "error.name": "Los nombres pueden tener hasta 255 caracteres, sin caracteres de control.",
  "error.form": "No se pudo leer este formulario. Vuelva a cargar la página e inténtelo de nuevo.",
  "login.required": "Inicie sesión en su cuenta para hacer esta solicitud y vuelva después a esta página.",
  "login.link": "Iniciar sesión",
  "code.title": "Revise su correo",
  "code.sent":
    "Si esta dirección puede recibir correos, le hemos enviado un código de 6 dígitos. Introdúzcalo abajo en un plazo de 15 minutos.",
  "code.sent_account":
    "Hemos enviado un código de 6 dígitos al correo electrónico de su cuenta. Introdúzcalo abajo en un plazo de 15 minutos.",
  "code.label": "Código de 6 dígitos",
  "code.submit": "Confirmar",
  "code.resend": "Enviar un código nuevo",
  "code.wrong": "Ese código no es correcto. Intentos restantes: {count}.",
  "code.format": "Introduzca los 6 dígitos del correo.",
  "code.expired": "Este código ha caducado. Solicite un código nuevo para continuar.",
  "code.locked": "Demasiados códigos incorrectos. Solicite un código nuevo para volver a intentarlo.",
  "code.resent": "Le hemos enviado un código nuevo.",
  "code.resend_wait": "Espere un minuto antes de pedir otro código.",
  "code.resend_limit": "No se pueden enviar más códigos para esta solicitud. Haga una nueva solicitud.",
  "code.unknown": "Esta solicitud ya no se puede confirmar aquí. Haga una nueva solicitud.",
  "done.title": "Solicitud recibida",
  "done.verified":
    "Gracias: su solicitud está confirmada. La tienda la responderá dentro del plazo legal y se lo comunicará por correo.",
  "done.opt_out":
    "Su decisión de que no se venda ni se comparta su información personal ha quedado registrada y se está aplicando.",
  "done.staff":
    "Gracias. La tienda se pondrá en contacto con usted para confirmar su identidad antes de atender su solicitud.",
  "done.reference": "Referencia",
  "limit.title": "Demasiadas solicitudes",
  "limit.body": "Espere {minutes} minutos y vuelva a intentarlo.",
  "gone.title": "Página caducada",
  "gone.body": "Esta página ya no es válida. Vuelva a cargarla y envíe el formulario de nuevo.",
  "unavailable.body":
    "En este momento no se pueden hacer en esta página solicitudes que se confirman por correo. Inténtelo más tarde o póngase en contacto con la tienda.",
  "restart.link": "Hacer una nueva solicitud",
  "gpc.honoured": "Señal de preferencia de exclusión respetada",
  "email.greeting": "Hola:",
  "email.code.subject": "Su código para {store}: {code}",
  "email.code.body":
    "Alguien, esperamos que usted, ha pedido a {store} que actúe sobre los datos personales que guarda de esta dirección de correo. Para confirmar la solicitud, introduzca este código en la página de la tienda:",
  "email.code.expiry":
    "El código es válido durante 15 minutos. Si no lo ha pedido, ignore este correo: sin el código no ocurre nada.",
  "email.receipt.subject": "{store} ha recibido su solicitud de privacidad",
  "email.receipt.body": "{store} ha recibido su solicitud: {type}.",
  "email.receipt.deadline": "La tienda debe responder antes del {date}. Recibirá la respuesta por correo.",
  "email.receipt.opt_out":
    "Su decisión de que no se venda ni se comparta su información personal ha quedado registrada.",
  "email.footer": "Referencia: {reference}. Privacy Desk envió este correo en nombre de {store}.",
  "download.title": "Descargar sus datos personales",
  "download.intro":
    "Para comprobar que es usted, enviamos un código de un solo uso a la dirección de correo a la que se envió este enlace.",
  "download.signed_in":
    "Ha iniciado sesión como el cliente que hizo esta solicitud: puede descargar sus datos directamente.",
  "download.send": "Enviarme un código",
  "download.code": "Código del correo",
  "download.submit": "Descargar",
  "download.sent": "Hemos enviado un código a su dirección de correo. Es válido durante 15 minutos.",
  "download.wait":
    "Se envió un código hace menos de un minuto. Revise su bandeja de entrada o espere un minuto antes de pedir otro.",
  "download.wrong": "Ese código no es correcto. Intentos restantes: {attempts}.",
  "download.expired": "Este código ha caducado o se ha introducido demasiadas veces. Pida un código nuevo.",
  "download.ready":
    "Su descarga está lista. Si no empieza, use este enlace (funciona una vez, durante 5 minutos):",
  "download.gone.title": "Este enlace ya no funciona",
  "download.gone.body":
    "El enlace ha caducado, la tienda lo ha revocado o se ha eliminado la copia de sus datos. Puede hacer una nueva solicitud.",
  "download.unavailable":
    "En este momento no se pueden enviar códigos por correo, así que la descarga no es posible aquí. Inténtelo más tarde o póngase en contacto con la tienda.",
  "email.download_code.body":
    "Alguien, probablemente usted, abrió el enlace para descargar sus datos personales de {store}. Para descargarlos, introduzca este código en la página:",
  "email.extended.subject": "{store} necesita más tiempo para su solicitud de privacidad",
  "email.extended.body":
    "{store} necesita más tiempo para responder a su solicitud: {type}. El nuevo plazo vence el {date}.",
  "email.extended.reason": "El motivo: {reason}",
  "email.denied.subject": "{store} no ha atendido su solicitud de privacidad",
  "email.denied.body": "{store} no ha atendido su solicitud: {type}.",
  "email.denied.reason": "El motivo: {reason}",
  "email.denied.complaint":
    "Si no está de acuerdo, responda a este correo. También tiene derecho a presentar una reclamación ante una autoridad de control de protección de datos, en particular donde resida o trabaje (en España, la AEPD; el CEPD las enumera en edpb.europa.eu).",
  "email.completed.subject": "{store} ha completado su solicitud de privacidad",
  "email.completed.rectification": "{store} ha corregido sus datos personales como pidió.",
  "email.completed.opt_out":
    "{store} ha registrado su decisión de que no se vendan ni compartan sus datos personales y la aplica desde ahora.",
  "email.completed.erasure":
    "{store} ha eliminado los datos personales sobre usted que tenía en Privacy Desk y ha pedido a Shopify que borre sus datos personales de la tienda.",
  "email.completed.erasure_kept":
    "Qué se conserva y por qué: Shopify elimina datos personales como su nombre, sus direcciones y sus datos de contacto, pero conserva los pedidos sin ellos (qué se vendió, cuándo y por cuánto), que la tienda necesita para su contabilidad e impuestos. Si hizo un pedido en los últimos 180 días, Shopify espera 180 días desde ese pedido antes de borrar sus datos, por si hubiera un reembolso o una devolución de cargo.",
  "email.export.subject": "Sus datos personales de {store} están listos",
  "email.export.body":
    "{store} ha preparado una copia de sus datos personales. Para descargarla, abra la página de abajo; para comprobar que es usted, primero envía un código de un solo uso a esta dirección de correo.",
  "email.export.link": "Abrir la página de descarga",
  "email.export.expiry":
    "El enlace funciona hasta el {date}. Después se elimina la copia; puede pedir una nueva.",
};

export const DEFAULT_TEXTS: Record<StorefrontLocale, StorefrontTexts> = { en, de, fr, es };

export function isTextKey(value: unknown): value is TextKey {
  return typeof value === "string" && Object.hasOwn(en, value);
}

/** The texts a shopper reads: the merchant's override where there is one, the default otherwise. */
export function resolveTexts(
  locale: StorefrontLocale,
  overrides: Partial<Record<TextKey, string>> = {},
): StorefrontTexts {
  return { ...DEFAULT_TEXTS[locale], ...overrides };
}

const PLACEHOLDER = /\{([a-z]+)\}/g;

export function placeholdersOf(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!));
}

/** Fills `{name}` placeholders; unknown ones are left as written. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

export const MAX_TEXT_LENGTH = 600;
/** Controls (but line breaks), bidi overrides and isolates, zero-width and other format characters. */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const FORBIDDEN_IN_TEXT = { test: (value: string) => CONTROL_OR_FORMAT.test(value.replace(/\n/g, "")) };

/** Why `value` cannot replace the default text `key`, or null when it can. */
export function textOverrideProblem(key: TextKey, value: string): string | null {
  if (value.trim().length === 0) return "is empty (leave it blank to use the default)";
  if (value.length > MAX_TEXT_LENGTH) return `is longer than ${MAX_TEXT_LENGTH} characters`;
  if (FORBIDDEN_IN_TEXT.test(value))
    return "contains control or invisible formatting characters (such as bidirectional overrides)";
  const allowed = placeholdersOf(en[key]);
  const unknown = [...placeholdersOf(value)].filter((name) => !allowed.has(name));
  if (unknown.length)
    return `uses ${unknown.map((name) => `{${name}}`).join(", ")}, which this text cannot fill in${
      allowed.size ? ` (it can use ${[...allowed].map((name) => `{${name}}`).join(", ")})` : ""
    }`;
  return null;
}
