import { Liquid } from "liquidjs";
import { getDb } from "../../app/db.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { signAppProxyQuery } from "../../app/domain/app-proxy-signature";
import type { StorefrontDeps } from "../../app/storefront/storefront-proxy.server";
import { createSubjectReader } from "../../app/services/subjects.server";
import { SHOP, TEST_API_SECRET, TEST_APP_URL } from "./constants";

/** The first address Shopify saw for a test shopper; each test may pick its own. */
export const SHOPPER_IP = "203.0.113.7";

export interface ProxyRequestOptions {
  path?: "/proxy" | "/proxy/" | "/proxy/gpc" | "/proxy/token" | "/proxy/download";
  method?: string;
  shop?: string;
  customerId?: string | null;
  /** Seconds; default: the deps clock's now. */
  timestamp?: number;
  /** More query parameters, signed with the rest (as Shopify signs whatever the shopper's URL had). */
  query?: [string, string][];
  form?: Record<string, string> | [string, string][];
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  ip?: string;
  sign?: boolean;
}

/** A request as Shopify forwards it from /apps/privacy: the query signed with the app secret. */
export function proxyRequest(now: Date, options: ProxyRequestOptions = {}): Request {
  const params = new URLSearchParams(options.query ?? []);
  params.append("shop", options.shop ?? SHOP);
  params.append("logged_in_customer_id", options.customerId ?? "");
  params.append("path_prefix", "/apps/privacy");
  params.append("timestamp", String(options.timestamp ?? Math.floor(now.getTime() / 1000)));
  const query = options.sign === false ? params : signAppProxyQuery(params, TEST_API_SECRET);
  const headers: Record<string, string> = {
    "x-forwarded-for": options.ip ?? SHOPPER_IP,
    "accept-language": "en-US,en;q=0.8",
    ...options.headers,
  };
  let body: string | undefined = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] ??= "application/json";
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  return new Request(`${TEST_APP_URL}${options.path ?? "/proxy"}?${query.toString()}`, {
    method,
    headers,
    body,
  });
}

/** Deps for the proxy handlers with a clock the test controls. */
export function storefrontTestDeps(clock: { now: () => Date }, overrides: Partial<StorefrontDeps> = {}) {
  return {
    db: getDb(),
    keyring: getKeyring(),
    apiSecret: TEST_API_SECRET,
    now: clock.now,
    mailReady: true,
    trustedProxies: 0,
    exportRetentionDays: 7,
    logger,
    ...overrides,
  } satisfies StorefrontDeps;
}

const engine = new Liquid({ strictFilters: true });

/**
 * Renders a proxy response's Liquid as Shopify would, for a storefront in `locale` whose primary
 * language is `primary` (only the objects the page uses).
 */
export async function renderProxyLiquid(liquid: string, locale = "en", primary = "en"): Promise<string> {
  const language = (iso: string) => ({ iso_code: iso, primary: iso === primary });
  return engine.parseAndRender(liquid, {
    request: { locale: language(locale) },
    localization: { available_languages: [...new Set([primary, locale])].map(language) },
  });
}

/** The token of the first form in a page. */
export function tokenOf(page: string): string {
  const match = /name="token" value="([^"]+)"/.exec(page);
  if (!match) throw new Error("The page has no form token");
  return match[1]!;
}

/** The request id a code page carries. */
export function requestIdOf(page: string): string {
  const match = /name="request" value="([0-9a-f-]{36})"/.exec(page);
  if (!match) throw new Error("The page has no request reference");
  return match[1]!;
}

/** The code still sealed beside its hash (before the email job sends and wipes it). */
export async function pendingCode(requestId: string): Promise<string> {
  const db = getDb();
  const verification = await db.storefrontVerification.findUniqueOrThrow({ where: { requestId } });
  const request = await db.privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
  const code = await createSubjectReader(db, getKeyring())(
    request.subjectId,
    "verification-code",
    verification.codeCipher,
  );
  if (!code) throw new Error(`No code is waiting for ${requestId}`);
  return code;
}
