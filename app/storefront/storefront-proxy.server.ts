import type { Db } from "../db-types";
import { verifyAppProxyQuery, type SignedProxyQuery } from "../domain/app-proxy-signature";
import { isRequestType } from "../domain/request-lifecycle";
import type { ShopPreferences } from "../domain/settings";
import {
  clientAddress,
  collectFields,
  MAX_FORM_BYTES,
  parseCode,
  parseRequestReference,
  parseSubmission,
  RATE_RULES,
  verificationPlan,
  type FormValues,
} from "../domain/storefront-request";
import {
  negotiateLocale,
  resolveTexts,
  type StorefrontLocale,
  type StorefrontTexts,
} from "../domain/storefront-texts";
import type { Logger } from "../logger.server";
import type { Keyring } from "../security/keyring";
import { shopPreferences } from "../services/settings.server";
import { checkFormToken, issueFormToken } from "../services/storefront/form-token.server";
import { consumeRateLimits, type RateHit } from "../services/storefront/rate-limit.server";
import {
  recordPrivacySignal,
  resendStorefrontCode,
  submitStorefrontRequest,
  verifyStorefrontCode,
  type StorefrontShop,
} from "../services/storefront/storefront-requests.server";
import { textOverrides, type TextOverrides } from "../services/storefront/storefront-texts.server";
import { emailHashFor } from "../services/subjects.server";
import { BodyTooLargeError, fromFetchRequest } from "../webhooks/inbound.server";
import { liquidPage, type Notice, type PageView } from "./liquid-page";

/**
 * The storefront's app proxy (`[app_proxy]` in shopify.app.toml: /apps/privacy → /proxy): the
 * privacy request page, the code step, the privacy-signal endpoint and the form token for theme
 * blocks. Every request is checked against Shopify's signature first, without loading or
 * refreshing any session (ADR 010); only the signed query says which shop and which logged-in
 * customer; the body is the shopper's and is checked field by field. Every answer is
 * `Cache-Control: no-store, private`.
 */
export interface StorefrontDeps {
  db: Db;
  keyring: Keyring;
  apiSecret: string;
  now: () => Date;
  /** False until SMTP_URL and MAIL_FROM are set: nothing that needs a code can be asked for. */
  mailReady: boolean;
  /** Proxies of our own in front of the app (STOREFRONT_TRUSTED_PROXIES). */
  trustedProxies: number;
  exportRetentionDays: number;
  logger: Logger;
}

export const NO_STORE = { "Cache-Control": "no-store, private", "X-Content-Type-Options": "nosniff" };

export function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8", ...headers },
  });
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { ...NO_STORE, "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

export interface Proxied {
  query: SignedProxyQuery;
  shop: StorefrontShop;
  customerId: string | null;
  address: string | null;
}

type Authenticated = { ok: true; proxied: Proxied } | { ok: false; response: Response };

export async function authenticate(request: Request, deps: StorefrontDeps): Promise<Authenticated> {
  const url = new URL(request.url);
  const verified = verifyAppProxyQuery(url.search, deps.apiSecret, Math.floor(deps.now().getTime() / 1000));
  if (!verified.ok) {
    deps.logger.warn("storefront request refused", { reason: verified.reason, path: url.pathname });
    // Unsigned, forged or replayed: it did not come from Shopify now. Malformed: Shopify signed
    // something the app cannot use. Either way nothing is read or stored.
    return {
      ok: false,
      response: plain(verified.reason === "malformed" ? 400 : 401, verified.message),
    };
  }
  const shop = await deps.db.shop.findUnique({
    where: { domain: verified.query.shop },
    select: { id: true, domain: true, installedAt: true, uninstalledAt: true },
  });
  if (!shop || (shop.uninstalledAt && shop.uninstalledAt > shop.installedAt))
    return { ok: false, response: plain(404, "This store does not use Privacy Desk") };
  return {
    ok: true,
    proxied: {
      query: verified.query,
      shop: { id: shop.id, domain: shop.domain },
      customerId: verified.query.loggedInCustomerId,
      address: clientAddress(request.headers.get("x-forwarded-for"), deps.trustedProxies),
    },
  };
}

interface PageContext {
  proxied: Proxied;
  preferences: ShopPreferences;
  overrides: TextOverrides;
  /** For what the app writes later (emails): the language the page was in, as its form said. */
  locale: StorefrontLocale;
}

function page(context: PageContext, view: PageView, status: number, headers: Record<string, string> = {}) {
  const textsFor = (locale: StorefrontLocale): StorefrontTexts =>
    resolveTexts(locale, context.overrides[locale]);
  return new Response(liquidPage(view, textsFor, context.proxied.query.pathPrefix), {
    status,
    headers: { ...NO_STORE, "Content-Type": "application/liquid; charset=utf-8", ...headers },
  });
}

const addressHit = (proxied: Proxied, rule: RateHit["rule"]): RateHit => ({
  rule,
  // Without an address (not through Shopify's proxy) every such request shares one counter.
  subject: proxied.address ?? "unknown",
  shopId: null,
});

function tooMany(context: PageContext, retryAfterSeconds: number): Response {
  return page(
    context,
    {
      kind: "message",
      title: "limit.title",
      body: "limit.body",
      values: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) },
      restart: false,
    },
    429,
    { "Retry-After": String(retryAfterSeconds) },
  );
}

async function pageContext(
  deps: StorefrontDeps,
  proxied: Proxied,
  formLocale?: string,
  accept?: string | null,
) {
  const [preferences, overrides] = await Promise.all([
    shopPreferences(deps.db, proxied.shop.id, deps.exportRetentionDays),
    textOverrides(deps.db, proxied.shop.id),
  ]);
  return { proxied, preferences, overrides, locale: negotiateLocale([formLocale], accept) };
}

function newToken(deps: StorefrontDeps, proxied: Proxied): string {
  return issueFormToken(
    deps.keyring,
    { shop: proxied.shop.domain, customerId: proxied.customerId },
    deps.now(),
  );
}

function formView(
  deps: StorefrontDeps,
  proxied: Proxied,
  values: FormValues,
  extra: Partial<Extract<PageView, { kind: "form" }>> = {},
): PageView {
  return {
    kind: "form",
    values,
    problems: [],
    token: newToken(deps, proxied),
    loggedIn: proxied.customerId !== null,
    ...extra,
  };
}

/** GET and POST on the page: the form, a submission, a code, a new code. */
export async function handleStorefrontPage(request: Request, deps: StorefrontDeps): Promise<Response> {
  if (request.method !== "GET" && request.method !== "POST")
    return plain(405, "Use GET for the page and POST for the form", { Allow: "GET, POST" });
  const auth = await authenticate(request, deps);
  if (!auth.ok) {
    if (request.method === "POST") await fromFetchRequest(request).discardBody();
    return auth.response;
  }
  const { proxied } = auth;
  const accept = request.headers.get("accept-language");

  if (request.method === "GET") {
    const context = await pageContext(deps, proxied, undefined, accept);
    // `?type=sale_opt_out` preselects a choice (the embed's "Your privacy choices" link).
    const type = proxied.query.params.get("type");
    const values: FormValues = type && isRequestType(type) ? { type } : {};
    return page(context, formView(deps, proxied, values), 200);
  }

  const body = await readForm(request);
  if (!body.ok) return body.response;
  const fields = collectFields(body.entries);
  const context = await pageContext(deps, proxied, fields.ok ? fields.values.locale : undefined, accept);
  if (!fields.ok)
    return page(
      context,
      formView(deps, proxied, {}, { problems: [{ field: "form", text: "error.form" }] }),
      400,
    );
  const values = fields.values;
  if (values.resend !== undefined) return resend(deps, context, values);
  if (values.code !== undefined || values.request !== undefined) return verify(deps, context, values);
  return submit(deps, context, values);
}

export async function readForm(
  request: Request,
): Promise<{ ok: true; entries: [string, string][] } | { ok: false; response: Response }> {
  const inbound = fromFetchRequest(request);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    await inbound.discardBody();
    return {
      ok: false,
      response: plain(415, "Send the form as application/x-www-form-urlencoded (a plain HTML form)"),
    };
  }
  try {
    const raw = await inbound.readBody(MAX_FORM_BYTES);
    return { ok: true, entries: [...new URLSearchParams(raw.toString("utf8"))] };
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return { ok: false, response: plain(413, `The form is larger than ${MAX_FORM_BYTES} bytes`) };
    throw error;
  }
}

async function submit(deps: StorefrontDeps, context: PageContext, values: FormValues): Promise<Response> {
  const { proxied } = context;
  const binding = { shop: proxied.shop.domain, customerId: proxied.customerId };
  // Never echo a token back: each page gets a fresh one.
  const { token: _spent, ...kept } = values;
  const token = checkFormToken(deps.keyring, values.token, binding, deps.now());
  if (!token.ok) {
    // A form the app did not render (a theme block without JavaScript, a merchant's own form):
    // shown back for the shopper to send. A token that is forged, expired or someone else's: the same,
    // refused.
    const missing = token.reason === "missing";
    return page(
      context,
      formView(deps, proxied, kept, {
        notice: missing ? { key: "form.confirm", tone: "info" } : { key: "gone.body", tone: "error" },
      }),
      missing ? 200 : 403,
    );
  }
  const parsed = parseSubmission(values, { loggedIn: proxied.customerId !== null });
  if (!parsed.ok) return page(context, formView(deps, proxied, kept, { problems: parsed.problems }), 400);
  const { submission } = parsed;

  const plan = verificationPlan({
    policy: context.preferences.verificationPolicy,
    type: submission.type,
    loggedIn: proxied.customerId !== null,
  });
  if (plan.method === "login_required")
    return page(
      context,
      {
        kind: "login",
        loginUrl: `/account/login?return_url=${encodeURIComponent(proxied.query.pathPrefix)}`,
      },
      403,
    );
  if (plan.method === "email_code" && !deps.mailReady)
    return page(
      context,
      formView(deps, proxied, kept, { notice: { key: "unavailable.body", tone: "error" } }),
      503,
    );

  const hits: RateHit[] = [
    addressHit(proxied, RATE_RULES.submitPerIp),
    { rule: RATE_RULES.submitPerShop, subject: "shop", shopId: proxied.shop.id },
  ];
  if (proxied.customerId)
    hits.push({ rule: RATE_RULES.submitPerCustomer, subject: proxied.customerId, shopId: proxied.shop.id });
  if (submission.email)
    hits.push({
      rule: RATE_RULES.emailsPerAddress,
      subject: emailHashFor(deps.keyring, submission.email)!,
      shopId: proxied.shop.id,
    });
  const limited = await consumeRateLimits(deps.db, deps.keyring, hits, deps.now());
  if (!limited.ok) return tooMany(context, limited.retryAfterSeconds);

  const result = await submitStorefrontRequest(deps.db, deps.keyring, {
    shop: proxied.shop,
    customerId: proxied.customerId,
    submission,
    locale: context.locale,
    preferences: context.preferences,
    token,
    now: deps.now(),
  });
  switch (result.kind) {
    case "code":
      return page(context, { kind: "code", requestId: result.requestId, sendTo: result.sendTo }, 200);
    case "staff":
      return page(context, { kind: "done", outcome: "staff", requestId: result.requestId }, 200);
    case "opt_out":
      return page(context, { kind: "done", outcome: "opt_out", requestId: result.requestId }, 200);
    case "login_required":
      return page(context, { kind: "login", loginUrl: "/account/login" }, 403);
    case "token_spent":
      return page(context, { kind: "message", title: "gone.title", body: "gone.body", restart: true }, 409);
  }
}

function codeView(context: PageContext, requestId: string, notice?: Notice): PageView {
  return {
    kind: "code",
    requestId,
    sendTo: context.proxied.customerId ? "account_email" : "given_email",
    notice,
  };
}

const unknownRequest = (context: PageContext) =>
  page(context, { kind: "message", title: "code.title", body: "code.unknown", restart: true }, 404);

async function verify(deps: StorefrontDeps, context: PageContext, values: FormValues): Promise<Response> {
  const { proxied } = context;
  const requestId = parseRequestReference(values.request);
  if (!requestId) return unknownRequest(context);
  const limited = await consumeRateLimits(
    deps.db,
    deps.keyring,
    [addressHit(proxied, RATE_RULES.verifyPerIp)],
    deps.now(),
  );
  if (!limited.ok) return tooMany(context, limited.retryAfterSeconds);
  const code = parseCode(values.code);
  if (!code) return page(context, codeView(context, requestId, { key: "code.format", tone: "error" }), 400);
  const result = await verifyStorefrontCode(deps.db, deps.keyring, {
    shopId: proxied.shop.id,
    requestId,
    customerId: proxied.customerId,
    code,
    autoApproveCustomerAccess: context.preferences.autoApproveCustomerAccess,
    now: deps.now(),
  });
  switch (result.kind) {
    case "verified":
      return page(context, { kind: "done", outcome: "verified", requestId }, 200);
    case "wrong":
      return page(
        context,
        codeView(context, requestId, {
          key: "code.wrong",
          values: { count: result.attemptsLeft },
          tone: "error",
        }),
        400,
      );
    case "locked":
      return page(context, codeView(context, requestId, { key: "code.locked", tone: "error" }), 429);
    case "expired":
      return page(context, codeView(context, requestId, { key: "code.expired", tone: "error" }), 410);
    case "unknown":
      return unknownRequest(context);
  }
}

async function resend(deps: StorefrontDeps, context: PageContext, values: FormValues): Promise<Response> {
  const { proxied } = context;
  const requestId = parseRequestReference(values.request);
  if (!requestId) return unknownRequest(context);
  const result = await resendStorefrontCode(deps.db, deps.keyring, {
    shopId: proxied.shop.id,
    requestId,
    customerId: proxied.customerId,
    now: deps.now(),
    rateHits: (emailHash) => [
      addressHit(proxied, RATE_RULES.submitPerIp),
      ...(emailHash
        ? [{ rule: RATE_RULES.emailsPerAddress, subject: emailHash, shopId: proxied.shop.id }]
        : []),
    ],
  });
  switch (result.kind) {
    case "sent":
      return page(context, codeView(context, requestId, { key: "code.resent", tone: "info" }), 200);
    case "wait":
      return page(context, codeView(context, requestId, { key: "code.resend_wait", tone: "error" }), 429);
    case "limit":
      return page(context, codeView(context, requestId, { key: "code.resend_limit", tone: "error" }), 429);
    case "limited":
      return tooMany(context, result.retryAfterSeconds);
    case "unknown":
      return unknownRequest(context);
  }
}

/**
 * POST /gpc from the theme's app embed when the browser sends Global Privacy Control: for a
 * logged-in customer, a sale/share opt-out on their record; for anyone else, nothing is stored
 * (the embed sets the browser's consent with Shopify's Customer Privacy API instead). JSON only:
 * a page on another site cannot send JSON to the store without a CORS preflight, which the app
 * never allows, so no other site can opt a shopper out.
 */
export async function handleStorefrontSignal(request: Request, deps: StorefrontDeps): Promise<Response> {
  if (request.method !== "POST") return plain(405, "POST the signal as JSON", { Allow: "POST" });
  const inbound = fromFetchRequest(request);
  const auth = await authenticate(request, deps);
  if (!auth.ok) {
    await inbound.discardBody();
    return auth.response;
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    await inbound.discardBody();
    return json(415, { error: "Send the signal as application/json" });
  }
  let body: unknown;
  try {
    body = JSON.parse((await inbound.readBody(1024)).toString("utf8"));
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return json(413, { error: "The signal is larger than 1024 bytes" });
    return json(400, { error: "The body is not JSON" });
  }
  const signal = body as { gpc?: unknown; locale?: unknown } | null;
  if (
    !signal ||
    typeof signal !== "object" ||
    signal.gpc !== true ||
    Object.keys(signal).some((key) => key !== "gpc" && key !== "locale")
  )
    return json(400, { error: 'The body must be {"gpc": true}, optionally with "locale"' });
  const { proxied } = auth;
  if (!proxied.customerId) return json(200, { status: "anonymous" });
  const limited = await consumeRateLimits(
    deps.db,
    deps.keyring,
    [addressHit(proxied, RATE_RULES.signalPerIp)],
    deps.now(),
  );
  if (!limited.ok)
    return json(429, { error: "Too many signals" }, { "Retry-After": String(limited.retryAfterSeconds) });
  const locale = negotiateLocale(
    [typeof signal.locale === "string" ? signal.locale : null],
    request.headers.get("accept-language"),
  );
  const recorded = await recordPrivacySignal(deps.db, deps.keyring, {
    shop: proxied.shop,
    customerId: proxied.customerId,
    locale,
    now: deps.now(),
  });
  const overrides = await textOverrides(deps.db, proxied.shop.id);
  return json(200, {
    status: recorded.kind,
    message: resolveTexts(locale, overrides[locale])["gpc.honoured"],
  });
}

/**
 * GET /token: a form token for the theme's app block, whose form Shopify renders from the theme
 * without the app. Only a page on the store itself can read it (no CORS).
 */
export async function handleStorefrontToken(request: Request, deps: StorefrontDeps): Promise<Response> {
  if (request.method !== "GET") return plain(405, "GET a token", { Allow: "GET" });
  const auth = await authenticate(request, deps);
  if (!auth.ok) return auth.response;
  return json(200, { token: newToken(deps, auth.proxied) });
}
