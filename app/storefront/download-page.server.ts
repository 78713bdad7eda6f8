import { parseCode } from "../domain/storefront-request";
import {
  fill,
  isStorefrontLocale,
  DEFAULT_LOCALE,
  resolveTexts,
  type StorefrontLocale,
  type StorefrontTexts,
  type TextKey,
} from "../domain/storefront-texts";
import { liveEmailLink, passForEmailLink, sendDownloadCode } from "../exports/export-links.server";
import { textOverrides, type TextOverrides } from "../services/storefront/storefront-texts.server";
import { fromFetchRequest } from "../webhooks/inbound.server";
import { liquidShell, text } from "./liquid-page";
import {
  authenticate,
  NO_STORE,
  plain,
  readForm,
  type Proxied,
  type StorefrontDeps,
} from "./storefront-proxy.server";

/**
 * The page an export-ready email links to (/apps/privacy/download?link=…, on the store's domain).
 * Shopify signs the query, so the shop and a signed-in customer come from Shopify; the link
 * token says which export. Before each download the page sends a fresh one-time code to the
 * request's address (never one typed here), unless the signed-in customer is the requester. A
 * right code buys a one-time ticket on the app's domain (the file is not streamed through the
 * proxy). Unknown, revoked, expired and other shops' links all get the same "no longer works".
 */
export interface DownloadPageDeps extends StorefrontDeps {
  appUrl: string;
}

type View =
  | { kind: "start"; signedIn: boolean }
  | {
      kind: "code";
      notice: { key: TextKey; values?: Record<string, string | number>; tone: "info" | "error" };
    }
  | { kind: "ready"; url: string }
  | { kind: "gone" }
  | { kind: "unavailable" };

export async function handleDownloadPage(request: Request, deps: DownloadPageDeps): Promise<Response> {
  if (request.method !== "GET" && request.method !== "POST")
    return plain(405, "Use GET for the page and POST for its buttons", { Allow: "GET, POST" });
  const auth = await authenticate(request, deps);
  if (!auth.ok) {
    if (request.method === "POST") await fromFetchRequest(request).discardBody();
    return auth.response;
  }
  const { proxied } = auth;
  const token = new URL(request.url).searchParams.get("link") ?? "";
  const overrides = await textOverrides(deps.db, proxied.shop.id);
  const now = deps.now();
  const live = await liveEmailLink(deps.db, { shopId: proxied.shop.id, token, now });
  const signedIn = Boolean(live && proxied.customerId && proxied.customerId === live.request.customerId);

  if (request.method === "GET") {
    if (!live) return page(proxied, overrides, token, { kind: "gone" }, 404);
    return page(proxied, overrides, token, { kind: "start", signedIn }, 200);
  }

  const form = await readForm(request);
  if (!form.ok) return form.response;
  const field = (name: string) => form.entries.find(([key]) => key === name)?.[1];
  const locale: StorefrontLocale = isStorefrontLocale(field("locale"))
    ? (field("locale") as StorefrontLocale)
    : DEFAULT_LOCALE;
  if (!live) return page(proxied, overrides, token, { kind: "gone" }, 404);

  if (field("action") === "send") {
    if (!deps.mailReady) return page(proxied, overrides, token, { kind: "unavailable" }, 503);
    const sending = await sendDownloadCode(deps.db, deps.keyring, {
      shopId: proxied.shop.id,
      token,
      locale,
      now,
    });
    if (sending.outcome === "gone") return page(proxied, overrides, token, { kind: "gone" }, 404);
    const notice =
      sending.outcome === "sent"
        ? { key: "download.sent" as const, tone: "info" as const }
        : { key: "download.wait" as const, tone: "info" as const };
    return page(proxied, overrides, token, { kind: "code", notice }, sending.outcome === "sent" ? 200 : 429);
  }
  if (field("action") === "download") {
    const pass = await passForEmailLink(deps.db, deps.keyring, {
      shopId: proxied.shop.id,
      token,
      code: parseCode(field("code")),
      loggedInCustomerId: proxied.customerId,
      appUrl: deps.appUrl,
      now,
    });
    switch (pass.outcome) {
      case "ticket":
        return page(proxied, overrides, token, { kind: "ready", url: pass.url }, 200);
      case "wrong":
        return page(
          proxied,
          overrides,
          token,
          {
            kind: "code",
            notice: { key: "download.wrong", values: { attempts: pass.attemptsLeft }, tone: "error" },
          },
          422,
        );
      case "expired":
        return page(
          proxied,
          overrides,
          token,
          { kind: "code", notice: { key: "download.expired", tone: "error" } },
          422,
        );
      case "gone":
        return page(proxied, overrides, token, { kind: "gone" }, 404);
    }
  }
  return plain(400, "Unknown action: the page's buttons send action=send or action=download");
}

function page(
  proxied: Proxied,
  overrides: TextOverrides,
  token: string,
  view: View,
  status: number,
): Response {
  const action = `${proxied.query.pathPrefix}/download?link=${encodeURIComponent(token)}`;
  const body = liquidShell((locale) =>
    bodyHtml(view, resolveTexts(locale, overrides[locale]), locale, action),
  );
  return new Response(body, {
    status,
    headers: {
      ...NO_STORE,
      "Content-Type": "application/liquid; charset=utf-8",
      "Referrer-Policy": "no-referrer",
    },
  });
}

function bodyHtml(view: View, texts: StorefrontTexts, locale: StorefrontLocale, action: string): string {
  const t = (key: TextKey, values: Record<string, string | number> = {}) => text(fill(texts[key], values));
  const formOpen = `<form method="post" action="${text(action)}"><input type="hidden" name="locale" value="${locale}">`;
  const sendButton = (secondary: boolean) =>
    `${formOpen}<input type="hidden" name="action" value="send"><button type="submit"${secondary ? ' class="pd-secondary"' : ""}>${t("download.send")}</button></form>`;
  switch (view.kind) {
    case "gone":
      return `<h1>${t("download.gone.title")}</h1><p>${t("download.gone.body")}</p>`;
    case "unavailable":
      return `<h1>${t("download.title")}</h1><p>${t("download.unavailable")}</p>`;
    case "start":
      return view.signedIn
        ? `<h1>${t("download.title")}</h1><p>${t("download.signed_in")}</p>${formOpen}<input type="hidden" name="action" value="download"><button type="submit">${t("download.submit")}</button></form>`
        : `<h1>${t("download.title")}</h1><p>${t("download.intro")}</p>${sendButton(false)}`;
    case "code": {
      const role = view.notice.tone === "error" ? ' role="alert"' : ' role="status"';
      return [
        `<h1>${t("download.title")}</h1>`,
        `<div class="pd-notice pd-notice--${view.notice.tone}"${role}><p>${t(view.notice.key, view.notice.values)}</p></div>`,
        `${formOpen}<input type="hidden" name="action" value="download">`,
        `<div class="pd-field"><label for="pd-code">${t("download.code")}</label>`,
        `<input id="pd-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required></div>`,
        `<button type="submit">${t("download.submit")}</button></form>`,
        sendButton(true),
      ].join("");
    }
    case "ready":
      return `<h1>${t("download.title")}</h1><p>${t("download.ready")}</p><p><a href="${text(view.url)}" rel="noreferrer">${t("download.submit")}</a></p>`;
  }
}
