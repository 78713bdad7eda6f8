import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Response, type Router } from "express";
import { buildExtensions, type BuiltExtension } from "../../scripts/extensions";
import { customerAccountSessionToken } from "./session-token";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const POLARIS_STANDIN = readFileSync(path.join(HERE, "polaris-standin.js"), "utf8");
const LANGUAGES = ["en", "de", "fr", "es"] as const;
type Language = (typeof LANGUAGES)[number];
const COUNTRY: Record<Language, string> = { en: "US", de: "DE", fr: "FR", es: "ES" };
const TARGETS = {
  page: { handle: "privacy-page", target: "customer-account.page.render", title: "Privacy" },
  profile: {
    handle: "privacy-profile-card",
    target: "customer-account.profile.block.render",
    title: "Profile",
  },
} as const;
type TargetKey = keyof typeof TARGETS;
/** Tokens a test can ask for, to see the app refuse them. Never anything but the demo. */
const FORGERIES = ["wrong-secret", "other-shop", "other-app"] as const;
type Forgery = (typeof FORGERIES)[number];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script>: no `</script>` or `<!--` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");
const pick = <T extends string>(values: readonly T[], value: unknown, fallback: T): T =>
  typeof value === "string" && (values as readonly string[]).includes(value) ? (value as T) : fallback;

function locales(handle: string, language: Language) {
  const read = (name: string) =>
    JSON.parse(
      readFileSync(path.join(ROOT, "extensions", handle, "locales", `${name}.json`), "utf8"),
    ) as unknown;
  return { translations: read(language === "en" ? "en.default" : language), fallback: read("en.default") };
}

/**
 * A local stand-in for Shopify's new customer accounts (demo mode only), to run the app's
 * customer account extensions without Shopify:
 *   GET /demo/customer-account?customer=N[&lang=de][&target=profile]   the account, signed in as customer N
 *   GET /demo/customer-account/frame                                    the extension's sandbox
 *   GET /demo/customer-account/token?customer=N                         what shopify.sessionToken.get() returns
 * As in Shopify, the extension runs in a sandbox with an opaque (null) origin and reaches the app
 * cross-origin with a session token signed with the app's secret (`sub` the customer, `dest` the
 * shop); the bundle is the one `npm run build:extensions` makes; `shopify` offers sessionToken,
 * i18n (the extension's locales/), localization, authenticatedAccount and navigation. Shopify's
 * Polaris web components come from its CDN, unreachable offline: polaris-standin.js registers
 * minimal ones. `forge=wrong-secret|other-shop|other-app` hands out a token the app must refuse.
 */
export async function demoCustomerAccountHost(options: {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  shop: string;
  customers: { id: string; label: string }[];
}): Promise<Router> {
  const built = new Map<string, BuiltExtension>(
    (await buildExtensions({ appUrl: options.appUrl })).map((ext) => [ext.handle, ext]),
  );
  const router = express.Router();
  const crossOrigin = (response: Response) => {
    response.setHeader("Access-Control-Allow-Origin", "*");
    response.setHeader("Cache-Control", "no-store");
  };
  const customerOf = (value: unknown) =>
    typeof value === "string" && /^[1-9]\d{0,19}$/.test(value) ? value : (options.customers[0]?.id ?? "1");

  router.get("/demo/customer-account/token", (request, response) => {
    crossOrigin(response);
    const forge = pick<Forgery | "none">([...FORGERIES, "none"], request.query.forge, "none");
    response.type("text/plain").send(
      customerAccountSessionToken({
        shop: forge === "other-shop" ? `other-${options.shop}` : options.shop,
        apiKey: forge === "other-app" ? "another-apps-client-id" : options.apiKey,
        apiSecret: forge === "wrong-secret" ? "not-the-app-secret" : options.apiSecret,
        customerId: customerOf(request.query.customer),
      }),
    );
  });

  router.get("/demo/customer-account/polaris.js", (_request, response) => {
    crossOrigin(response);
    response.type("application/javascript").send(POLARIS_STANDIN);
  });

  router.get("/demo/customer-account/extension/:handle.js", (request, response) => {
    crossOrigin(response);
    const ext = built.get(request.params.handle);
    if (!ext) return void response.status(404).send("No such extension");
    response.type("application/javascript").send(ext.code);
  });

  router.get("/demo/customer-account/frame", (request, response) => {
    const language = pick(LANGUAGES, request.query.lang, "en");
    const target = TARGETS[pick(Object.keys(TARGETS) as TargetKey[], request.query.target, "page")];
    const customer = customerOf(request.query.customer);
    const forge = pick<Forgery | "none">([...FORGERIES, "none"], request.query.forge, "none");
    const config = {
      target: target.target,
      lang: language,
      country: COUNTRY[language],
      customerGid: `gid://shopify/Customer/${customer}`,
      tokenUrl: `${options.appUrl}/demo/customer-account/token?customer=${customer}&forge=${forge}`,
      ...locales(target.handle, language),
    };
    response.setHeader("Cache-Control", "no-store");
    response.type("html").send(`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${escape(target.title)}</title><link rel="icon" href="data:,">
<style>body{margin:0;background:#f4f4f5}</style>
<script>window.__STANDIN__ = ${scriptJson(config)};</script>
<script>
(function () {
  var c = window.__STANDIN__;
  function lookup(tree, key) {
    return key.split(".").reduce(function (node, part) { return node && typeof node === "object" ? node[part] : undefined; }, tree);
  }
  function translate(key, replacements) {
    var text = lookup(c.translations, key);
    if (typeof text !== "string") text = lookup(c.fallback, key);
    if (typeof text !== "string") return key;
    return text.replace(/\\{\\{\\s*(\\w+)\\s*\\}\\}/g, function (_, name) {
      return replacements && replacements[name] != null ? String(replacements[name]) : "";
    });
  }
  var signal = function (value) { return { value: value, current: value, subscribe: function () { return function () {}; } }; };
  window.shopify = {
    extensionPoint: c.target,
    sessionToken: { get: function () { return fetch(c.tokenUrl).then(function (r) { return r.text(); }); } },
    i18n: {
      translate: translate,
      formatDate: function (date, options) { return new Intl.DateTimeFormat(c.lang, options).format(date); },
      formatNumber: function (n, options) { return new Intl.NumberFormat(c.lang, options).format(n); },
      formatCurrency: function (n, options) { return new Intl.NumberFormat(c.lang, Object.assign({ style: "currency" }, options)).format(n); }
    },
    localization: { language: signal({ isoCode: c.lang }), extensionLanguage: signal({ isoCode: c.lang }), country: signal({ isoCode: c.country }) },
    authenticatedAccount: { customer: signal({ id: c.customerGid }), purchasingCompany: signal(undefined) },
    navigation: { navigate: function (url) { window.parent.postMessage({ type: "navigate", url: String(url) }, "*"); } },
    setSignals: function () {}
  };
  document.addEventListener("DOMContentLoaded", function () {
    new ResizeObserver(function () {
      window.parent.postMessage({ type: "height", height: document.body.scrollHeight + 48 }, "*");
    }).observe(document.body);
  });
})();
</script>
<script src="${options.appUrl}/demo/customer-account/polaris.js"></script>
<script type="module">
  const extension = await import(${scriptJson(`${options.appUrl}/demo/customer-account/extension/${target.handle}.js`)});
  await extension.default();
</script>
</head><body></body></html>`);
  });

  router.get("/demo/customer-account", (request, response) => {
    const language = pick(LANGUAGES, request.query.lang, "en");
    const targetKey = pick(Object.keys(TARGETS) as TargetKey[], request.query.target, "page");
    const customer = customerOf(request.query.customer);
    const forge = pick<Forgery | "none">([...FORGERIES, "none"], request.query.forge, "none");
    const query = (changes: Record<string, string>) =>
      `?${new URLSearchParams({ customer, lang: language, target: targetKey, ...changes }).toString()}`;
    const frame = `/demo/customer-account/frame${query({ forge })}`;
    response.setHeader("Cache-Control", "no-store");
    response.type("html").send(`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${escape(TARGETS[targetKey].title)} · customer account (demo)</title><link rel="icon" href="data:,">
<style>
  body{margin:0;font:14px system-ui,sans-serif;background:#f4f4f5;color:#1a1a1a}
  header{display:flex;flex-wrap:wrap;align-items:center;gap:16px;padding:10px 20px;background:#fff;border-bottom:1px solid #e3e3e3}
  header strong{font-size:16px} nav{display:flex;gap:4px} nav a{padding:6px 10px;border-radius:8px;color:#1a1a1a;text-decoration:none}
  nav a[aria-current]{background:#1a1a1a;color:#fff} .who{margin-left:auto;display:flex;gap:8px;align-items:center}
  .note{font-size:12px;color:#616161;width:100%}
  iframe{display:block;width:100%;border:0;min-height:400px}
</style></head>
<body>
<header>
  <strong>${escape(options.shop)}</strong>
  <nav aria-label="Account">
    <a href="${escape(query({ target: "profile" }))}"${targetKey === "profile" ? ' aria-current="page"' : ""}>Profile</a>
    <a href="${escape(query({ target: "page" }))}"${targetKey === "page" ? ' aria-current="page"' : ""}>Privacy</a>
  </nav>
  <form class="who" method="get">
    <input type="hidden" name="target" value="${targetKey}">
    <label>Signed in as <select name="customer">${options.customers
      .map(
        (c) =>
          `<option value="${escape(c.id)}"${c.id === customer ? " selected" : ""}>${escape(c.label)}</option>`,
      )
      .join("")}</select></label>
    <label>Language <select name="lang">${LANGUAGES.map(
      (l) => `<option value="${l}"${l === language ? " selected" : ""}>${l}</option>`,
    ).join("")}</select></label>
    <button>Switch</button>
  </form>
  <span class="note">Shopify customer accounts, local stand-in for the demo: the extension runs sandboxed (null origin) with a session token for customer ${escape(customer)}${forge === "none" ? "" : ` (forged: ${escape(forge)})`}.</span>
</header>
<iframe title="${escape(TARGETS[targetKey].title)}" name="extension" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads" src="${escape(frame)}"></iframe>
<script>
  var frame = document.querySelector("iframe");
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data) return;
    if (event.data.type === "height") frame.style.height = event.data.height + "px";
    if (event.data.type === "navigate" && /^extension:\\/\\/privacy-page/.test(event.data.url))
      location.search = ${scriptJson(query({ target: "page" }))};
  });
</script>
</body></html>`);
  });

  return router;
}
