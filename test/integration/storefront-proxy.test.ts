import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { action, loader } from "../../app/routes/proxy._index";
import { handleStorefrontPage, handleStorefrontToken } from "../../app/storefront/storefront-proxy.server";
import { manualClock } from "../helpers/clock";
import { SHOP } from "../helpers/constants";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import {
  proxyRequest,
  renderProxyLiquid,
  storefrontTestDeps,
  tokenOf,
  type ProxyRequestOptions,
} from "../helpers/storefront";

const clock = manualClock(new Date("2026-11-30T10:00:00.000Z"));
const deps = storefrontTestDeps(clock);
const send = (options: ProxyRequestOptions = {}) =>
  handleStorefrontPage(proxyRequest(clock.now(), options), deps);

beforeEach(async () => {
  await resetDatabase();
  await getDb().shop.create({ data: { domain: SHOP } });
});

async function formToken(options: ProxyRequestOptions = {}) {
  return tokenOf(await (await send({ ...options, form: undefined })).text());
}

describe("app proxy signature at the route: nothing is read or stored without it", () => {
  const attempt = async (options: ProxyRequestOptions) => {
    const before = await countAllRows();
    const token = await formToken();
    const response = await send({ ...options, form: { type: "access", email: "pat@example.com", token } });
    expect(await countAllRows()).toEqual(before);
    return response;
  };

  it("GIVEN no signature WHEN the form is posted THEN 401 and nothing is stored", async () => {
    const response = await attempt({ sign: false });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("The request carries no app proxy signature");
  });

  it("GIVEN a timestamp replayed 91 seconds later THEN 401 and nothing is stored", async () => {
    const response = await attempt({ timestamp: Math.floor(clock.now().getTime() / 1000) - 91 });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/more than 90 seconds/);
  });

  it("GIVEN a second logged_in_customer_id appended after signing THEN 401 and nothing is stored", async () => {
    const signed = proxyRequest(clock.now(), { customerId: "1" });
    const url = new URL(signed.url);
    url.search += "&logged_in_customer_id=2";
    const response = await handleStorefrontPage(new Request(url, signed), deps);
    expect(response.status).toBe(401);
    expect(await countAllRows()).toMatchObject({ requests: 0, rateLimitCounters: 0 });
  });

  it("GIVEN a signature made with another secret THEN 401", async () => {
    const response = await handleStorefrontPage(
      proxyRequest(clock.now()),
      storefrontTestDeps(clock, { apiSecret: "another-app-secret" }),
    );
    expect(response.status).toBe(401);
  });

  it("GIVEN a signed shop that never installed the app THEN 404", async () => {
    const response = await send({ shop: "stranger.myshopify.com" });
    expect(response.status).toBe(404);
  });

  it("GIVEN Shopify's documented request (secret hush) at its own time THEN the route accepts it", async () => {
    // shopify.dev's example, forwarded for a shop that installed the app.
    await getDb().shop.create({ data: { domain: "shop-name.myshopify.com" } });
    const documented =
      "extra=1&extra=2&shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3";
    const response = await handleStorefrontPage(
      new Request(`https://privacy-desk.test/proxy?${documented}`),
      storefrontTestDeps({ now: () => new Date(1317327555 * 1000) }, { apiSecret: "hush" }),
    );
    expect(response.status).toBe(200);
  });

  it("answers through the Remix route as through the handler", async () => {
    const get = await loader({ request: proxyRequest(new Date()), params: {}, context: {} });
    expect(get.status).toBe(200);
    const unsigned = await action({
      request: proxyRequest(new Date(), { sign: false, form: { type: "access" } }),
      params: {},
      context: {},
    });
    expect(unsigned.status).toBe(401);
  });
});

describe("the storefront page", () => {
  it("is Liquid for the theme's layout, never cached, with a form token", async () => {
    const response = await send();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/liquid; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store, private");
    const body = await response.text();
    expect(body).not.toMatch(/\{%-?\s*layout/);
    expect(tokenOf(body)).toMatch(/^\d+\.[\w-]{22}\.[\w-]{43}$/);
  });

  it.each([
    ["en", "en", "Privacy requests"],
    ["de", "en", "Datenschutzanfragen"],
    ["fr-CA", "en", "Demandes relatives à vos données"],
    ["es", "en", "Solicitudes de privacidad"],
    // A language the app does not speak: the store's primary language, else English.
    ["it", "de", "Datenschutzanfragen"],
    ["ja", "pt-BR", "Privacy requests"],
  ])("renders in the storefront language %s (primary %s)", async (locale, primary, title) => {
    const html = await renderProxyLiquid(await (await send()).text(), locale, primary);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html.match(/<h1>/g)).toHaveLength(1);
  });

  it("preselects a choice from ?type= and ignores one it does not know", async () => {
    const chosen = await (await send({ query: [["type", "sale_opt_out"]] })).text();
    expect(chosen).toContain('value="sale_opt_out" required checked');
    const unknown = await (await send({ query: [["type", "<script>"]] })).text();
    expect(unknown).not.toMatch(/ checked[ >]/);
    expect(unknown).not.toContain("<script>");
  });

  it("shows a logged-in customer no email field: the code goes to the account's address", async () => {
    const body = await (await send({ customerId: "42" })).text();
    expect(body).not.toContain('name="email"');
    expect(body).toContain("You are signed in to your account");
  });

  it("never lets the shopper's input become Liquid (APP_PROXY_LIQUID_INJECTION)", async () => {
    // GIVEN a form without a token (a theme block's), full of Liquid and markup
    const hostile = {
      type: "access",
      email: "{{shop.name}}@x.example",
      message:
        "{{ customer.email }} {% render 'x' %} {%- liquid echo 'pwned' -%} </textarea><script>alert(1)</script>",
      correct_first_name: "{{ 'a' | append: 'b' }}",
    };
    const response = await send({ form: hostile });
    // THEN it is shown back for confirmation, escaped for HTML and with every brace inert
    expect(response.status).toBe(200);
    const liquid = await response.text();
    const appLiquid = liquid.match(/\{[{%][\s\S]*?[}%]\}/g) ?? [];
    for (const tag of appLiquid) expect(tag).not.toMatch(/customer|render|pwned|append|shop\.name/);
    expect(liquid).not.toContain("<script>alert(1)</script>");
    // AND rendered by a Liquid engine, the shopper sees exactly what they typed
    const html = await renderProxyLiquid(liquid);
    const typed = "&#123;&#37;- liquid echo &#39;pwned&#39; -&#37;&#125;";
    expect(html).toContain(typed);
    expect(html.split("pwned").length).toBe(html.split(typed).length); // only where it was typed
    expect(html).toContain("&#123;&#123; customer.email &#125;&#125;");
    expect(html).toContain("&#60;/textarea&#62;&#60;script&#62;");
  });
});

describe("form tokens", () => {
  it("GIVEN a form without a token (theme block, no JavaScript) THEN it is shown back to confirm, and nothing is stored", async () => {
    const response = await send({ form: { type: "access", email: "pat@example.com" } });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain("Please check your request, then send it.");
    expect(body).toContain('value="pat@example.com"');
    expect(await countAllRows()).toMatchObject({ requests: 0, rateLimitCounters: 0 });
  });

  it("GIVEN the same form sent twice THEN the second is refused (409) and one request exists", async () => {
    const token = await formToken();
    const form = { type: "access", email: "pat@example.com", token };
    expect((await send({ form })).status).toBe(200);
    const second = await send({ form });
    expect(second.status).toBe(409);
    expect(await getDb().privacyRequest.count()).toBe(1);
  });

  it.each([
    ["rendered for another customer", { customerId: "7" }, { customerId: "8" }],
    ["rendered for a logged-out shopper, sent by a logged-in one", {}, { customerId: "8" }],
    ["rendered for another shop", { shop: "second-store.myshopify.com" }, {}],
  ])("GIVEN a token %s THEN 403 and nothing is stored", async (_name, renderedFor, sentAs) => {
    await getDb().shop.upsert({
      where: { domain: "second-store.myshopify.com" },
      create: { domain: "second-store.myshopify.com" },
      update: {},
    });
    const token = await formToken(renderedFor);
    const response = await send({
      ...sentAs,
      form: { type: "sale_opt_out", email: "pat@example.com", token },
    });
    expect(response.status).toBe(403);
    expect(await getDb().privacyRequest.count()).toBe(0);
  });

  it("GIVEN a token older than two hours THEN 403 with a fresh form", async () => {
    const token = await formToken();
    clock.advance(2 * 60 * 60_000 + 1_000);
    const response = await send({ form: { type: "access", email: "pat@example.com", token } });
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(tokenOf(body)).not.toBe(token);
    expect(body).toContain("This page is no longer valid");
  });

  it("GET /token gives a theme block a token that works once", async () => {
    const response = await handleStorefrontToken(proxyRequest(clock.now(), { path: "/proxy/token" }), deps);
    expect(response.headers.get("cache-control")).toBe("no-store, private");
    const { token } = (await response.json()) as { token: string };
    expect((await send({ form: { type: "sale_opt_out", email: "pat@example.com", token } })).status).toBe(
      200,
    );
  });
});

describe("what the page refuses", () => {
  it.each([
    [
      "a repeated field (parameter pollution)",
      [
        ["type", "access"],
        ["type", "erasure"],
        ["email", "a@example.com"],
      ],
    ],
    [
      "two emails",
      [
        ["type", "access"],
        ["email", "a@example.com"],
        ["email", "b@example.com"],
      ],
    ],
  ] as [string, [string, string][]][])("GIVEN %s THEN 400 and nothing is stored", async (_name, form) => {
    const token = await formToken();
    const response = await send({ form: [...form, ["token", token]] });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This form could not be read");
    expect(await getDb().privacyRequest.count()).toBe(0);
  });

  it.each([
    ["no type", { email: "pat@example.com" }, ["type"]],
    ["an unknown type", { type: "delete_everything", email: "pat@example.com" }, ["type"]],
    ["no email", { type: "access" }, ["email"]],
    ["an email with a right-to-left override", { type: "access", email: "pat\u202e@example.com" }, ["email"]],
    ["a 300-character email", { type: "access", email: `${"a".repeat(290)}@example.com` }, ["email"]],
    [
      "a message with a bidi isolate",
      { type: "access", email: "p@example.com", message: "hi\u2066there" },
      ["message"],
    ],
    [
      "a message over 2000 characters",
      { type: "access", email: "p@example.com", message: "x".repeat(2001) },
      ["message"],
    ],
    [
      "a correction with nothing to correct",
      { type: "rectification", email: "p@example.com" },
      ["correct_first_name"],
    ],
    [
      "a correction to a bad phone",
      { type: "rectification", email: "p@example.com", correct_phone: "call me" },
      ["correct_phone"],
    ],
  ])("GIVEN %s THEN 400 naming the field, and nothing is stored", async (_name, form, fields) => {
    const token = await formToken();
    const response = await send({ form: { ...form, token } });
    expect(response.status).toBe(400);
    const body = await response.text();
    for (const field of fields) {
      expect(body).toContain(`id="pd-${field === "type" ? "type-access" : field}"`);
      expect(body).toMatch(
        new RegExp(`(id="pd-${field}-error"|href="#pd-${field === "type" ? "type-access" : field}")`),
      );
    }
    expect(body).toContain('role="alert"');
    expect(await getDb().privacyRequest.count()).toBe(0);
  });

  it("GIVEN a body over 16 KiB THEN 413", async () => {
    const response = await send({
      body: `type=access&message=${"x".repeat(17_000)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(413);
  });

  it("GIVEN JSON or multipart THEN 415", async () => {
    const response = await send({
      body: '{"type":"access"}',
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(415);
  });

  it("GIVEN PUT THEN 405", async () => {
    expect((await send({ method: "PUT", body: "" })).status).toBe(405);
  });
});
