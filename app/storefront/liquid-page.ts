import {
  CODE_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  type FormProblem,
  type FormValues,
  type StorefrontField,
} from "../domain/storefront-request";
import { REQUEST_TYPES } from "../domain/request-lifecycle";
import {
  DEFAULT_LOCALE,
  fill,
  STOREFRONT_LOCALES,
  type StorefrontLocale,
  type StorefrontTexts,
  type TextKey,
} from "../domain/storefront-texts";

/**
 * The storefront pages, as the Liquid Shopify renders inside the store's theme (an app proxy
 * response with `Content-Type: application/liquid`). The only Liquid in a page is this file's own
 * constant code, which picks the shopper's storefront language (`request.locale`); every value
 * that came from anywhere else — what the shopper typed, the merchant's texts, even our own
 * translations — goes through `text()`, which escapes HTML and turns `{` and `}` into character
 * references, so no input can ever become Liquid (Shopify's APP_PROXY_LIQUID_INJECTION check).
 */

/** Escapes for HTML text and attribute values, and makes Liquid delimiters inert. */
export function text(value: string): string {
  return value.replace(/[&<>"'{}%]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type Notice = { key: TextKey; values?: Record<string, string | number>; tone: "info" | "error" };

export type PageView =
  | {
      kind: "form";
      values: FormValues;
      problems: FormProblem[];
      token: string;
      loggedIn: boolean;
      notice?: Notice;
    }
  | { kind: "login"; loginUrl: string }
  | { kind: "code"; requestId: string; sendTo: "account_email" | "given_email"; notice?: Notice }
  | { kind: "done"; outcome: "verified" | "opt_out" | "staff"; requestId: string }
  | {
      kind: "message";
      title: TextKey;
      body: TextKey;
      values?: Record<string, string | number>;
      restart: boolean;
    };

// Corrections are asked for only once the shopper picks a correction request (a browser without
// :has() shows them always; other requests ignore them).
const STYLE = `<style>
.pd-privacy{max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
.pd-privacy h1{margin:0 0 .5rem}
.pd-privacy fieldset{border:1px solid currentColor;border-radius:6px;margin:1.25rem 0;padding:.75rem 1rem}
.pd-privacy legend{font-weight:600;padding:0 .25rem}
.pd-privacy .pd-field{margin:1rem 0}
.pd-privacy label{display:block;font-weight:600}
.pd-privacy .pd-choice label{display:inline;font-weight:400;margin-left:.4rem}
.pd-privacy .pd-choice{margin:.35rem 0}
.pd-privacy .pd-form:not(:has(input[name=type][value=rectification]:checked)) .pd-corrections{display:none}
.pd-privacy input[type=text],.pd-privacy input[type=email],.pd-privacy input[type=tel],.pd-privacy textarea{box-sizing:border-box;width:100%;padding:.55rem .65rem;border:1px solid currentColor;border-radius:4px;font:inherit;color:inherit;background:transparent}
.pd-privacy .pd-hint{margin:.2rem 0 .35rem;font-size:.95em}
.pd-privacy .pd-error{margin:.2rem 0;font-weight:600;color:#b3261e}
.pd-privacy [aria-invalid=true]{border-width:2px;border-color:#b3261e}
.pd-privacy .pd-notice{border:2px solid currentColor;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.pd-privacy .pd-notice--error{border-color:#b3261e}
.pd-privacy button{font:inherit;padding:.6rem 1.2rem;border-radius:4px;border:2px solid currentColor;cursor:pointer;background:#1f1f1f;color:#fff}
.pd-privacy button.pd-secondary{background:transparent;color:inherit}
.pd-privacy :focus-visible{outline:3px solid #005fcc;outline-offset:2px}
.pd-privacy code{font-size:1em;word-break:break-all}
</style>`;

function noticeHtml(texts: StorefrontTexts, notice: Notice | undefined, id = "pd-notice"): string {
  if (!notice) return "";
  const role = notice.tone === "error" ? ` role="alert" tabindex="-1" autofocus` : ` role="status"`;
  return `<div id="${id}" class="pd-notice pd-notice--${notice.tone}"${role}><p>${text(fill(texts[notice.key], notice.values ?? {}))}</p></div>`;
}

function hidden(name: StorefrontField, value: string): string {
  return `<input type="hidden" name="${name}" value="${text(value)}">`;
}

function formHtml(
  view: Extract<PageView, { kind: "form" }>,
  texts: StorefrontTexts,
  locale: StorefrontLocale,
): string {
  const problemOf = (field: StorefrontField) => view.problems.find((problem) => problem.field === field);
  const errorId = (field: StorefrontField) => `pd-${field}-error`;
  const errorHtml = (field: StorefrontField) => {
    const problem = problemOf(field);
    return problem ? `<p id="${errorId(field)}" class="pd-error">${text(texts[problem.text])}</p>` : "";
  };
  const describedBy = (field: StorefrontField, hint?: string) => {
    const ids = [problemOf(field) ? errorId(field) : null, hint ?? null].filter(Boolean);
    return ids.length ? ` aria-describedby="${ids.join(" ")}"` : "";
  };
  const invalid = (field: StorefrontField) => (problemOf(field) ? ` aria-invalid="true"` : "");
  const value = (field: StorefrontField) => text(view.values[field] ?? "");
  const input = (field: StorefrontField, label: TextKey, type: string, autocomplete: string, max: number) =>
    `<div class="pd-field"><label for="pd-${field}">${text(texts[label])}</label>${errorHtml(field)}<input id="pd-${field}" name="${field}" type="${type}" autocomplete="${autocomplete}" maxlength="${max}" value="${value(field)}"${invalid(field)}${describedBy(field)}></div>`;

  const fieldProblems = view.problems.filter((problem) => problem.field !== "form");
  const summary = fieldProblems.length
    ? `<div id="pd-errors" class="pd-notice pd-notice--error" role="alert" tabindex="-1" autofocus><p>${text(texts["form.errors"])}</p><ul>${fieldProblems
        .map((problem) => {
          const target = problem.field === "type" ? "pd-type-access" : `pd-${problem.field}`;
          return `<li><a href="#${target}">${text(texts[problem.text])}</a></li>`;
        })
        .join("")}</ul></div>`
    : "";
  const formProblem = view.problems.find((problem) => problem.field === "form");
  const selected = view.values.type ?? "";
  const types = REQUEST_TYPES.map(
    (type) =>
      `<div class="pd-choice"><input type="radio" id="pd-type-${type}" name="type" value="${type}" required${selected === type ? " checked" : ""}${invalid("type")}><label for="pd-type-${type}">${text(texts[`type.${type}`])}</label></div>`,
  ).join("");
  const email = view.loggedIn
    ? `<p id="pd-signed-in">${text(texts["form.signed_in"])}</p>`
    : `<div class="pd-field"><label for="pd-email">${text(texts["form.email"])} <span class="pd-hint">(${text(texts["form.required"])})</span></label><p id="pd-email-hint" class="pd-hint">${text(texts["form.email_hint"])}</p>${errorHtml("email")}<input id="pd-email" name="email" type="email" autocomplete="email" required maxlength="254" value="${value("email")}"${invalid("email")}${describedBy("email", "pd-email-hint")}></div>`;
  return [
    noticeHtml(texts, view.notice),
    formProblem ? noticeHtml(texts, { key: formProblem.text, tone: "error" }, "pd-form-error") : "",
    summary,
    `<form method="post" class="pd-form" novalidate>`,
    hidden("token", view.token),
    hidden("locale", locale),
    `<fieldset${describedBy("type")}><legend>${text(texts["form.type"])}</legend>${errorHtml("type")}${types}</fieldset>`,
    email,
    `<fieldset class="pd-corrections"><legend>${text(texts["form.corrections"])}</legend><p class="pd-hint">${text(texts["form.corrections_hint"])}</p>`,
    input("correct_first_name", "form.first_name", "text", "given-name", MAX_NAME_LENGTH),
    input("correct_last_name", "form.last_name", "text", "family-name", MAX_NAME_LENGTH),
    input("correct_email", "form.new_email", "email", "email", 254),
    input("correct_phone", "form.phone", "tel", "tel", 32),
    `</fieldset>`,
    `<div class="pd-field"><label for="pd-message">${text(texts["form.message"])}</label>${errorHtml("message")}<textarea id="pd-message" name="message" rows="4" maxlength="${MAX_MESSAGE_LENGTH}"${invalid("message")}${describedBy("message")}>${value("message")}</textarea></div>`,
    `<button type="submit">${text(texts["form.submit"])}</button>`,
    `</form>`,
  ].join("");
}

function codeHtml(
  view: Extract<PageView, { kind: "code" }>,
  texts: StorefrontTexts,
  locale: StorefrontLocale,
) {
  const error = view.notice?.tone === "error";
  return [
    `<p>${text(texts[view.sendTo === "account_email" ? "code.sent_account" : "code.sent"])}</p>`,
    noticeHtml(texts, view.notice),
    `<form method="post" class="pd-form" novalidate>`,
    hidden("request", view.requestId),
    hidden("locale", locale),
    `<div class="pd-field"><label for="pd-code">${text(texts["code.label"])}</label>`,
    `<input id="pd-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="${CODE_LENGTH + 2}" required${error ? ` aria-invalid="true" aria-describedby="pd-notice"` : ""}></div>`,
    `<button type="submit">${text(texts["code.submit"])}</button>`,
    `</form>`,
    `<form method="post" class="pd-form">`,
    hidden("request", view.requestId),
    hidden("locale", locale),
    hidden("resend", "1"),
    `<button type="submit" class="pd-secondary">${text(texts["code.resend"])}</button>`,
    `</form>`,
    `<p>${text(texts["done.reference"])}: <code>${text(view.requestId)}</code></p>`,
  ].join("");
}

const RESTART = (texts: StorefrontTexts, pathPrefix: string) =>
  `<p><a href="${text(pathPrefix)}">${text(texts["restart.link"])}</a></p>`;

function bodyHtml(
  view: PageView,
  texts: StorefrontTexts,
  locale: StorefrontLocale,
  pathPrefix: string,
): string {
  switch (view.kind) {
    case "form":
      return `<h1>${text(texts["page.title"])}</h1><p>${text(texts["page.intro"])}</p>${formHtml(view, texts, locale)}`;
    case "login":
      return `<h1>${text(texts["page.title"])}</h1><p>${text(texts["login.required"])}</p><p><a href="${text(view.loginUrl)}">${text(texts["login.link"])}</a></p>`;
    case "code":
      return `<h1>${text(texts["code.title"])}</h1>${codeHtml(view, texts, locale)}`;
    case "done": {
      const body = { verified: "done.verified", opt_out: "done.opt_out", staff: "done.staff" } as const;
      return `<h1>${text(texts["done.title"])}</h1><div role="status"><p>${text(texts[body[view.outcome]])}</p></div><p>${text(texts["done.reference"])}: <code>${text(view.requestId)}</code></p>`;
    }
    case "message":
      return `<h1>${text(texts[view.title])}</h1><div role="status"><p>${text(fill(texts[view.body], view.values ?? {}))}</p></div>${view.restart ? RESTART(texts, pathPrefix) : ""}`;
  }
}

/**
 * The page for every language the app speaks, chosen by Liquid from the shopper's storefront
 * language, else the store's primary language, else English (Shopify does not tell the app which
 * language a proxied request is in; the theme's Liquid knows).
 */
export function liquidPage(
  view: PageView,
  textsFor: (locale: StorefrontLocale) => StorefrontTexts,
  pathPrefix: string,
): string {
  return liquidShell((locale) => bodyHtml(view, textsFor(locale), locale, pathPrefix));
}

/** Any page's HTML per language (already escaped with `text()`), wrapped in the language choice. */
export function liquidShell(bodyFor: (locale: StorefrontLocale) => string): string {
  const branch = (locale: StorefrontLocale) =>
    `<div class="pd-privacy" lang="${locale}">${bodyFor(locale)}</div>`;
  const others = STOREFRONT_LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);
  return [
    `{%- comment -%} Privacy Desk (app proxy). The only Liquid here is this language choice. {%- endcomment -%}`,
    `{%- liquid`,
    `  assign pd_known = '${STOREFRONT_LOCALES.join("|")}' | split: '|'`,
    `  assign pd_lang = request.locale.iso_code | downcase | split: '-' | first`,
    `  unless pd_known contains pd_lang`,
    `    assign pd_lang = '${DEFAULT_LOCALE}'`,
    `    for pd_language in localization.available_languages`,
    `      if pd_language.primary`,
    `        assign pd_primary = pd_language.iso_code | downcase | split: '-' | first`,
    `        if pd_known contains pd_primary`,
    `          assign pd_lang = pd_primary`,
    `        endif`,
    `      endif`,
    `    endfor`,
    `  endunless`,
    `-%}`,
    STYLE,
    `{%- case pd_lang -%}`,
    ...others.flatMap((locale) => [`{%- when '${locale}' -%}`, branch(locale)]),
    `{%- else -%}`,
    branch(DEFAULT_LOCALE),
    `{%- endcase -%}`,
    "",
  ].join("\n");
}
