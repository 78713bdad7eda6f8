import { readFileSync } from "node:fs";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import { Liquid } from "liquidjs";
import { signAppProxyQuery } from "../../app/domain/app-proxy-signature";

/**
 * A stand-in for a Shopify storefront (demo mode only), on the app's own origin so the theme's
 * scripts reach /apps/privacy the way they do on a store:
 *   GET  /storefront[/pages/privacy]        a store page; the privacy page holds the theme block
 *   GET  /{de,fr,es}/storefront…            the same in another storefront language
 *   POST /storefront/session                sign in as a customer, or out
 *   POST /storefront/gpc                    switch the browser's Global Privacy Control on or off
 *   ALL  /apps/privacy…                     forwarded to the app's proxy route, signed as Shopify signs
 * Blocks and the embed are the theme app extension's real Liquid, rendered with liquidjs (the few
 * Shopify objects and filters they use are provided here); a Liquid answer from the proxy is
 * rendered inside the stand-in theme's layout, as Shopify renders it inside the store's theme.
 * Cookies stay here: like Shopify, the stand-in never forwards them to the app.
 */
export interface DemoCustomer {
  id: string;
  name: string;
  email: string | null;
}

export interface DemoStorefrontOptions {
  apiSecret: string;
  shop: string;
  shopName: string;
  /** Where the app itself answers (its proxy route is /proxy). */
  appOrigin: string;
  customers: DemoCustomer[];
  extensionDir: string;
}

const LOCALES = ["en", "de", "fr", "es"] as const;
type Locale = (typeof LOCALES)[number];
const PROXY_PREFIX = "/apps/privacy";
const COOKIE = { shopper: "demo_shopper", gpc: "demo_gpc" };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookie(request: Request, name: string): string | null {
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(request.headers.cookie ?? "");
  return match ? decodeURIComponent(match[1]!) : null;
}

interface Block {
  source: string;
  schema: {
    name: string;
    target: string;
    javascript?: string;
    stylesheet?: string;
    settings: { id: string; default?: unknown }[];
  };
}

function loadBlock(dir: string, name: string): Block {
  const raw = readFileSync(path.join(dir, "blocks", `${name}.liquid`), "utf8");
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(raw);
  if (!match) throw new Error(`blocks/${name}.liquid has no schema`);
  return { source: raw.replace(match[0], ""), schema: JSON.parse(match[1]!) as Block["schema"] };
}

export function demoStorefront(options: DemoStorefrontOptions): Router {
  const router = express.Router();
  const dir = options.extensionDir;
  const engine = new Liquid({ root: [path.join(dir, "snippets")], extname: ".liquid", cache: true });
  const translations = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      JSON.parse(
        readFileSync(
          path.join(dir, "locales", locale === "en" ? "en.default.json" : `${locale}.json`),
          "utf8",
        ),
      ),
    ]),
  ) as Record<Locale, Record<string, unknown>>;
  const blocks = { form: loadBlock(dir, "privacy-request-form"), choices: loadBlock(dir, "privacy-choices") };

  // Shopify's `t` filter for the extension's locale files: the storefront language, else English.
  engine.registerFilter("t", function (this: { context: { globals: object } }, key: string) {
    const lookup = (locale: Locale) =>
      String(key)
        .split(".")
        .reduce<unknown>(
          (node, part) =>
            node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined,
          translations[locale],
        );
    const globals = this.context.globals as { pd_locale?: Locale };
    const value = lookup(globals.pd_locale ?? "en") ?? lookup("en");
    return typeof value === "string" ? value : `translation missing: ${key}`;
  });
  engine.registerFilter("asset_url", (file: string) => `/storefront/assets/${encodeURIComponent(file)}`);

  const localeOf = (request: Request): Locale => {
    const first = request.path.split("/")[1] ?? "";
    return (LOCALES as readonly string[]).includes(first) && first !== "en" ? (first as Locale) : "en";
  };
  const rootUrl = (locale: Locale) => (locale === "en" ? "/" : `/${locale}`);
  const shopperOf = (request: Request) => {
    const id = cookie(request, COOKIE.shopper);
    return options.customers.find((customer) => customer.id === id) ?? null;
  };

  function globals(request: Request) {
    const locale = localeOf(request);
    const shopper = shopperOf(request);
    const language = (iso: Locale) => ({ iso_code: iso, primary: iso === "en", root_url: rootUrl(iso) });
    return {
      pd_locale: locale,
      request: { locale: language(locale), path: request.path, host: request.headers.host },
      localization: { language: language(locale), available_languages: LOCALES.map(language) },
      routes: {
        root_url: rootUrl(locale),
        account_login_url: `${rootUrl(locale).replace(/\/$/, "")}/storefront`,
      },
      shop: { name: options.shopName, permanent_domain: options.shop },
      customer: shopper ? { id: Number(shopper.id), name: shopper.name, email: shopper.email } : null,
    };
  }

  const renderBlock = (block: Block, request: Request, id: string) =>
    engine.parseAndRender(
      block.source,
      {
        block: {
          id,
          shopify_attributes: "",
          settings: Object.fromEntries(
            block.schema.settings.map((setting) => [setting.id, setting.default ?? ""]),
          ),
        },
      },
      { globals: globals(request) },
    );

  async function layout(request: Request, title: string, content: string, extraAssets: Block[] = []) {
    const locale = localeOf(request);
    const shopper = shopperOf(request);
    const gpc = cookie(request, COOKIE.gpc) === "1";
    const assets = [blocks.choices, ...extraAssets];
    const embed = await renderBlock(blocks.choices, request, "demo-embed");
    const back = encodeURIComponent(request.originalUrl);
    const here = request.path.replace(/^\/(de|fr|es)(?=\/)/, "");
    return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(options.shopName)}</title>
${gpc ? `<script>Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });</script>` : ""}
<script>
  // Stand-in for Shopify's Customer Privacy API (loadFeatures / customerPrivacy), kept in a cookie.
  (function () {
    var read = function () { var m = /(?:^|; )demo_sale_of_data=(\\w+)/.exec(document.cookie); return m ? m[1] : null; };
    var api = {
      setTrackingConsent: function (consent, callback) {
        if ("sale_of_data" in consent) document.cookie = "demo_sale_of_data=" + (consent.sale_of_data ? "yes" : "no") + "; path=/; SameSite=Lax";
        document.dispatchEvent(new CustomEvent("demo:consent"));
        if (callback) callback({});
      },
      saleOfDataAllowed: function () { return read() !== "no"; },
    };
    window.Shopify = window.Shopify || {};
    window.Shopify.loadFeatures = function (features, callback) { window.Shopify.customerPrivacy = api; setTimeout(function () { callback(null); }, 0); };
    document.addEventListener("DOMContentLoaded", function () {
      var show = function () { var el = document.getElementById("demo-consent"); if (el) el.textContent = api.saleOfDataAllowed() ? "allowed" : "not allowed (sale_of_data: false)"; };
      show(); document.addEventListener("demo:consent", show);
    });
  })();
</script>
${assets
  .flatMap((block) => [
    block.schema.stylesheet
      ? `<link rel="stylesheet" href="/storefront/assets/${block.schema.stylesheet}">`
      : "",
    block.schema.javascript
      ? `<script src="/storefront/assets/${block.schema.javascript}" defer></script>`
      : "",
  ])
  .filter((tag, index, all) => tag && all.indexOf(tag) === index)
  .join("\n")}
<style>
  body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1f1f1f;background:#fff}
  .demo-bar{background:#1f1f1f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
  .demo-bar a,.demo-bar button{color:#fff} .demo-bar form{display:flex;gap:.5rem;align-items:center;margin:0}
  .demo-bar select,.demo-bar button{font:inherit} .demo-bar button{background:#333;border:1px solid #fff;border-radius:4px;padding:.15rem .6rem}
  header.site{padding:1rem;border-bottom:1px solid #ccc;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
  header.site a{color:#1f1f1f} main{padding:0 1rem 2rem} footer.site{border-top:1px solid #ccc;padding:1rem;background:#f6f6f6}
  footer.site a{color:#1f1f1f}
</style>
</head>
<body>
<div class="demo-bar" role="region" aria-label="Demo controls">
  <strong>Stand-in storefront (demo)</strong>
  <form method="post" action="/storefront/session?back=${back}">
    <label for="demo-shopper">Shopper</label>
    <select id="demo-shopper" name="customer">
      <option value="">Logged out</option>
      ${options.customers
        .map(
          (customer) =>
            `<option value="${customer.id}"${shopper?.id === customer.id ? " selected" : ""}>${escapeHtml(`Logged in as ${customer.name} (customer ${customer.id})`)}</option>`,
        )
        .join("")}
    </select>
    <button type="submit">Switch</button>
  </form>
  <form method="post" action="/storefront/gpc?back=${back}">
    <button type="submit" aria-pressed="${gpc}">Global Privacy Control: ${gpc ? "on" : "off"}</button>
  </form>
  <nav aria-label="Storefront language">${LOCALES.map(
    (code) =>
      `<a href="${code === "en" ? "" : `/${code}`}${here}"${code === locale ? ' aria-current="true"' : ""}>${code.toUpperCase()}</a>`,
  ).join(" ")}</nav>
</div>
<header class="site">
  <a href="${rootUrl(locale).replace(/\/$/, "")}/storefront"><strong>${escapeHtml(options.shopName)}</strong></a>
  <nav aria-label="Store"><a href="${rootUrl(locale).replace(/\/$/, "")}/storefront/pages/privacy">Privacy page (theme block)</a> · <a href="${rootUrl(locale).replace(/\/$/, "")}${PROXY_PREFIX}">${PROXY_PREFIX}</a></nav>
</header>
<main id="MainContent">
${content}
</main>
<footer class="site">
  <p>© ${escapeHtml(options.shopName)} · Browser consent to the sale of data: <span id="demo-consent">…</span></p>
</footer>
${embed}
</body>
</html>`;
  }

  router.use("/storefront/assets", express.static(path.join(dir, "assets"), { maxAge: 0 }));

  router.post(
    "/storefront/session",
    express.urlencoded({ extended: false, limit: "4kb" }),
    (request, response) => {
      const id = typeof request.body?.customer === "string" ? request.body.customer : "";
      const known = options.customers.some((customer) => customer.id === id);
      response.setHeader(
        "Set-Cookie",
        `${COOKIE.shopper}=${known ? id : ""}; Path=/; HttpOnly; SameSite=Lax`,
      );
      response.redirect(303, safeBack(request));
    },
  );

  router.post("/storefront/gpc", (request, response) => {
    const on = cookie(request, COOKIE.gpc) !== "1";
    response.setHeader("Set-Cookie", `${COOKIE.gpc}=${on ? "1" : "0"}; Path=/; SameSite=Lax`);
    response.redirect(303, safeBack(request));
  });

  const page =
    (content: (request: Request) => Promise<string>, title: string, assets: Block[] = []) =>
    async (request: Request, response: Response) => {
      response.setHeader("Cache-Control", "no-store");
      response.type("html").send(await layout(request, title, await content(request), assets));
    };
  const home = page(async (request) => {
    const prefix = rootUrl(localeOf(request)).replace(/\/$/, "");
    return `<h1>Welcome to ${escapeHtml(options.shopName)}</h1>
<p>This stand-in store shows Privacy Desk's storefront pieces: the <a href="${prefix}/storefront/pages/privacy">privacy page</a> with the theme block, the app proxy page at <a href="${prefix}${PROXY_PREFIX}">${PROXY_PREFIX}</a>, and the “Your privacy choices” link the embed adds to the footer.</p>`;
  }, "Home");
  const privacyPage = page(async (request) => renderBlock(blocks.form, request, "demo-form"), "Privacy", [
    blocks.form,
  ]);
  for (const prefix of ["", "/:locale(de|fr|es)"]) {
    router.get(`${prefix}/storefront`, home);
    router.get(`${prefix}/storefront/pages/privacy`, privacyPage);
    router.all(
      [`${prefix}${PROXY_PREFIX}`, `${prefix}${PROXY_PREFIX}/*`],
      express.raw({ type: () => true, limit: "64kb" }),
      (request, response, next) => {
        forward(request, response).catch(next);
      },
    );
  }

  /** What Shopify does with a request to /apps/privacy: sign its query, strip cookies, forward, render Liquid. */
  async function forward(request: Request, response: Response) {
    const rest = request.path.replace(/^\/(de|fr|es)(?=\/)/, "").slice(PROXY_PREFIX.length);
    const params = new URLSearchParams(request.originalUrl.split("?")[1] ?? "");
    for (const key of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"])
      params.delete(key);
    params.append("shop", options.shop);
    params.append("logged_in_customer_id", shopperOf(request)?.id ?? "");
    params.append("path_prefix", PROXY_PREFIX);
    params.append("timestamp", String(Math.floor(Date.now() / 1000)));
    const signed = signAppProxyQuery(params, options.apiSecret);
    const headers: Record<string, string> = {
      "x-forwarded-for": request.socket.remoteAddress ?? "127.0.0.1",
      "x-forwarded-host": String(request.headers.host ?? ""),
    };
    for (const name of ["content-type", "accept", "accept-language", "user-agent"])
      if (typeof request.headers[name] === "string") headers[name] = request.headers[name] as string;
    const hasBody = request.method !== "GET" && request.method !== "HEAD" && Buffer.isBuffer(request.body);
    const answer = await fetch(`${options.appOrigin}/proxy${rest}?${signed.toString()}`, {
      method: request.method,
      headers,
      body: hasBody ? new Uint8Array(request.body as Buffer) : undefined,
      redirect: "manual",
    });
    response.status(answer.status);
    for (const name of ["cache-control", "retry-after", "location"]) {
      const value = answer.headers.get(name);
      if (value) response.setHeader(name, value);
    }
    const body = await answer.text();
    if ((answer.headers.get("content-type") ?? "").startsWith("application/liquid")) {
      const content = await engine.parseAndRender(body, {}, { globals: globals(request) });
      response.type("html").send(await layout(request, "Privacy", content));
    } else {
      response.setHeader("Content-Type", answer.headers.get("content-type") ?? "text/plain");
      response.send(body);
    }
  }

  return router;
}

function safeBack(request: Request): string {
  const back = typeof request.query.back === "string" ? request.query.back : "/storefront";
  return /^\/(?!\/)[\w\-./?=&%]*$/.test(back) ? back : "/storefront";
}
