import { emailProblem, phoneProblem } from "./contact-details";
import type { Regime } from "./deadlines";
import { rectificationChanges, type RectificationChanges } from "./rectification";
import { REQUEST_TYPES, type RequestType } from "./request-lifecycle";
import type { VerificationPolicy } from "./settings";
import type { TextKey } from "./storefront-texts";

/**
 * A privacy request made by a shopper on the storefront: the form's fields (a documented contract,
 * README "Storefront requests"), how each request proves who asked (the verification ladder), and
 * the limits that keep guesses and floods from doing harm. Every field arrives from the shopper's
 * browser through Shopify's proxy, which signs only the query: nothing here is trusted.
 */

/** The form fields the app reads. Any other field is ignored; one of these sent twice is refused. */
export const STOREFRONT_FIELDS = [
  "type",
  "email",
  "message",
  "correct_first_name",
  "correct_last_name",
  "correct_email",
  "correct_phone",
  "token",
  "locale",
  "request",
  "code",
  "resend",
] as const;
export type StorefrontField = (typeof STOREFRONT_FIELDS)[number];

export const CODE_LENGTH = 6;
export const CODE_TTL_MS = 15 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
export const RESEND_INTERVAL_MS = 60_000;
export const MAX_RESENDS = 3;
/** An unverified request is canceled this long after it was received. */
export const UNVERIFIED_EXPIRY_MS = 14 * 24 * 60 * 60_000;
/** How long a form the app rendered may take to be sent back. */
export const FORM_TOKEN_TTL_MS = 2 * 60 * 60_000;
export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_NAME_LENGTH = 255;
/** The largest form body the app reads (every field at its maximum fits well inside). */
export const MAX_FORM_BYTES = 16 * 1024;

/** Controls (but tab and line breaks), bidi overrides and isolates, zero-width and other format characters. */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const FORBIDDEN_IN_TEXT = { test: (value: string) => CONTROL_OR_FORMAT.test(value.replace(/[\t\n\r]/g, "")) };

const CORRECTION_FIELDS: Record<string, StorefrontField> = {
  firstName: "correct_first_name",
  lastName: "correct_last_name",
  email: "correct_email",
  phone: "correct_phone",
};

export type FormValues = Partial<Record<StorefrontField, string>>;

export type FormProblem = { field: StorefrontField | "form"; text: TextKey };

/** The form's fields once, or the first field sent more than once. */
export function collectFields(
  entries: Iterable<[string, string]>,
): { ok: true; values: FormValues } | { ok: false; repeated: string } {
  const values: FormValues = {};
  for (const [key, value] of entries) {
    if (!(STOREFRONT_FIELDS as readonly string[]).includes(key)) continue;
    const field = key as StorefrontField;
    if (values[field] !== undefined) return { ok: false, repeated: field };
    values[field] = value;
  }
  return { ok: true, values };
}

export interface Submission {
  type: RequestType;
  /** What the shopper typed; null when logged in (the account's address is used). */
  email: string | null;
  message: string | null;
  corrections: RectificationChanges | null;
}

/**
 * The request a submitted form asks for, or what is wrong with it (each problem names its field
 * and the text that explains it). A logged-in shopper's email field is ignored: the code goes to
 * the account's address, never one typed into the form.
 */
export function parseSubmission(
  values: FormValues,
  context: { loggedIn: boolean },
): { ok: true; submission: Submission } | { ok: false; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const type = values.type?.trim() ?? "";
  if (!(REQUEST_TYPES as readonly string[]).includes(type))
    problems.push({ field: "type", text: "error.type" });

  let email: string | null = null;
  if (!context.loggedIn) {
    email = (values.email ?? "").trim();
    if (!email || emailProblem(email)) {
      problems.push({ field: "email", text: "error.email" });
      email = null;
    }
  }

  const message = (values.message ?? "").replace(/\r\n/g, "\n").trim();
  if (message.length > MAX_MESSAGE_LENGTH || FORBIDDEN_IN_TEXT.test(message))
    problems.push({ field: "message", text: "error.message" });

  let corrections: RectificationChanges | null = null;
  if (type === "rectification") {
    const raw = {
      firstName: (values.correct_first_name ?? "").trim(),
      lastName: (values.correct_last_name ?? "").trim(),
      email: (values.correct_email ?? "").trim(),
      phone: (values.correct_phone ?? "").trim(),
    };
    const nameBad = (name: string) => name.length > MAX_NAME_LENGTH || FORBIDDEN_IN_TEXT.test(name);
    const bad: FormProblem[] = [
      ...(nameBad(raw.firstName) ? [{ field: "correct_first_name", text: "error.name" } as const] : []),
      ...(nameBad(raw.lastName) ? [{ field: "correct_last_name", text: "error.name" } as const] : []),
      ...(raw.email && emailProblem(raw.email)
        ? [{ field: "correct_email", text: "error.corrections" } as const]
        : []),
      ...(raw.phone && phoneProblem(raw.phone)
        ? [{ field: "correct_phone", text: "error.corrections" } as const]
        : []),
    ];
    const parsed = rectificationChanges.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== "")),
    );
    if (bad.length) problems.push(...bad);
    else if (!parsed.success) {
      const field = CORRECTION_FIELDS[String(parsed.error.issues[0]?.path[0])] ?? "correct_first_name";
      problems.push({ field, text: "error.corrections" });
    } else corrections = parsed.data;
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    submission: { type: type as RequestType, email, message: message || null, corrections },
  };
}

/** `123 456`, `123-456` and ` 123456 ` are the same code; anything else is not a code. */
export function parseCode(value: string | undefined): string | null {
  const digits = (value ?? "").replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(digits) ? digits : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export function parseRequestReference(value: string | undefined): string | null {
  const id = (value ?? "").trim().toLowerCase();
  return UUID.test(id) ? id : null;
}

/**
 * How a request proves who asked (the ladder):
 * - sale/share opt-out: nothing (CCPA regulations, 11 CCR §7026(d): a business may not require
 *   verification for an opt-out);
 * - the merchant verifies every request by hand (`manual_review`): staff;
 * - a logged-in customer (the proxy's signed logged_in_customer_id): identity known, and a code to
 *   the account's email before anything is disclosed or deleted (re-authentication, §7061);
 * - a logged-out shopper: a code to the address given, unless the merchant requires a login.
 */
export type VerificationPlan =
  | { method: "none" }
  | { method: "staff" }
  | { method: "email_code"; sendTo: "account_email" | "given_email" }
  | { method: "login_required" };

export function verificationPlan(input: {
  policy: VerificationPolicy;
  type: RequestType;
  loggedIn: boolean;
}): VerificationPlan {
  if (input.type === "sale_opt_out") return { method: "none" };
  if (input.policy === "manual_review") return { method: "staff" };
  if (input.loggedIn) return { method: "email_code", sendTo: "account_email" };
  if (input.policy === "shopify_customer_login") return { method: "login_required" };
  return { method: "email_code", sendTo: "given_email" };
}

/**
 * After the code: a logged-in customer's own access (or portability) request needs no merchant
 * review when the merchant said so in Settings; everything else waits for review.
 */
export function approvesWithoutReview(input: {
  autoApproveCustomerAccess: boolean;
  type: RequestType;
  loggedIn: boolean;
}): boolean {
  return (
    input.autoApproveCustomerAccess &&
    input.loggedIn &&
    (input.type === "access" || input.type === "portability")
  );
}

/**
 * The shopper does not say where they live. A sale/share opt-out is a CCPA right; everything else
 * runs on the GDPR's month, which always ends before the CCPA's 45 days.
 */
export function storefrontRegime(type: RequestType): Regime {
  return type === "sale_opt_out" ? "ccpa" : "gdpr";
}

/** What a wrong, expired or locked code means for the next step. */
export type CodeCheck =
  | { outcome: "verified" }
  | { outcome: "wrong"; attemptsLeft: number }
  | { outcome: "locked" }
  | { outcome: "expired" };

export function codeState(input: {
  attempts: number;
  codeIssuedAt: Date | null;
  now: Date;
}): "usable" | "locked" | "expired" {
  if (input.attempts >= MAX_CODE_ATTEMPTS) return "locked";
  if (!input.codeIssuedAt || input.now.getTime() - input.codeIssuedAt.getTime() > CODE_TTL_MS)
    return "expired";
  return "usable";
}

/** Whether another code may be sent now, and if not, why. */
export function resendDecision(input: {
  resends: number;
  codeIssuedAt: Date | null;
  now: Date;
}): "send" | "wait" | "limit" {
  if (input.resends >= MAX_RESENDS) return "limit";
  if (input.codeIssuedAt && input.now.getTime() - input.codeIssuedAt.getTime() < RESEND_INTERVAL_MS)
    return "wait";
  return "send";
}

/** A fixed-window limit: at most `limit` hits per `windowMs`. */
export interface RateRule {
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * The storefront's limits. Emails to one address (new requests and new codes together) are few,
 * so nobody can use the store to flood an inbox; guesses are limited per request (5, then the code
 * locks) and per network address, never per shop, so a flood of guesses locks only the code it
 * targets; the per-shop ceiling bounds what a distributed flood can send.
 */
export const RATE_RULES = {
  submitPerIp: { name: "submit-ip", limit: 10, windowMs: 10 * 60_000 },
  emailsPerAddress: { name: "email-address", limit: 5, windowMs: 60 * 60_000 },
  submitPerCustomer: { name: "submit-customer", limit: 10, windowMs: 60 * 60_000 },
  submitPerShop: { name: "submit-shop", limit: 1000, windowMs: 60 * 60_000 },
  verifyPerIp: { name: "verify-ip", limit: 30, windowMs: 10 * 60_000 },
  signalPerIp: { name: "signal-ip", limit: 30, windowMs: 10 * 60_000 },
} as const satisfies Record<string, RateRule>;

/** The window a hit at `now` counts in, and when it ends. */
export function rateWindow(rule: RateRule, now: Date): { start: Date; end: Date } {
  const start = Math.floor(now.getTime() / rule.windowMs) * rule.windowMs;
  return { start: new Date(start), end: new Date(start + rule.windowMs) };
}

/**
 * The client's address as Shopify saw it: Shopify appends it to X-Forwarded-For when it forwards
 * a storefront request, and each proxy of our own in front of the app appends one more. Counted
 * from the right, so an address the client wrote into the header itself is never believed.
 */
export function clientAddress(forwardedFor: string | null, trustedProxies: number): string | null {
  if (!forwardedFor) return null;
  const hops = forwardedFor
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const address = hops[hops.length - 1 - trustedProxies];
  return address && address.length <= 64 && /^[0-9A-Fa-f:.]+$/.test(address) ? address : null;
}
