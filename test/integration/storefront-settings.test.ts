import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { action, loader } from "../../app/routes/app.settings";
import { handleStorefrontPage } from "../../app/storefront/storefront-proxy.server";
import { manualClock } from "../helpers/clock";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff, type TestStaff } from "../helpers/staff";
import { proxyRequest, renderProxyLiquid, storefrontTestDeps } from "../helpers/storefront";

const clock = manualClock(new Date());
const deps = storefrontTestDeps(clock);
const owner = () => signedInStaff({ userId: "1", owner: true });

beforeEach(resetDatabase);

async function saveTexts(staff: TestStaff, locale: string, texts: Record<string, string>) {
  const form = Object.fromEntries([
    ["intent", "storefront-texts"],
    ["locale", locale],
    ...Object.entries(texts).map(([key, value]) => [`text.${key}`, value]),
  ]);
  return respond(async () =>
    action({ request: await embeddedRequest(staff, "/app/settings", { form }), params: {}, context: {} }),
  );
}

async function storefrontPage(locale: string) {
  const response = await handleStorefrontPage(proxyRequest(clock.now()), deps);
  return renderProxyLiquid(await response.text(), locale);
}

describe("Settings › Storefront texts: the merchant's words for every shopper-facing text", () => {
  it("GIVEN an admin rewords the German title THEN German shoppers read it, and other languages keep theirs", async () => {
    const staff = await owner();
    const response = await saveTexts(staff, "de", { "page.title": "Ihre Daten bei uns", "form.submit": "" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, message: "Storefront texts saved (1 changed)" });

    expect(await storefrontPage("de")).toContain("<h1>Ihre Daten bei uns</h1>");
    expect(await storefrontPage("de")).toContain(">Anfrage senden</button>"); // blank: the default
    expect(await storefrontPage("en")).toContain("<h1>Privacy requests</h1>");
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "settings.storefront_texts_updated" },
    });
    expect(JSON.parse(event.data)).toEqual({ locale: "de", changed: ["page.title"] });
  });

  it("shows the texts and whether codes can be sent in the loader", async () => {
    const staff = await owner();
    await saveTexts(staff, "fr", { "done.title": "Bien reçu" });
    const data = (await (
      await respond(async () =>
        loader({ request: await embeddedRequest(staff, "/app/settings"), params: {}, context: {} }),
      )
    ).json()) as { storefront: { mailReady: boolean; overrides: Record<string, Record<string, string>> } };
    expect(data.storefront.mailReady).toBe(false); // the test environment sets no SMTP_URL
    expect(data.storefront.overrides.fr).toEqual({ "done.title": "Bien reçu" });
  });

  it.each([
    [
      "a placeholder the text cannot fill",
      "limit.body",
      "Wait {hours} hours",
      /uses \{hours\}, which this text cannot fill in \(it can use \{minutes\}\)/,
    ],
    [
      "a right-to-left override",
      "page.title",
      "Privacy\u202e requests",
      /control or invisible formatting characters/,
    ],
    ["601 characters", "page.intro", "x".repeat(601), /longer than 600 characters/],
  ])("GIVEN %s THEN 400 on that field and nothing is saved", async (_name, key, value, message) => {
    const staff = await owner();
    const response = await saveTexts(staff, "en", { "page.title": "Fine", [key]: value });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string> };
    expect(body.fieldErrors[`text.${key}`]).toMatch(message);
    expect(await getDb().storefrontText.count()).toBe(0);
  });

  it("keeps a merchant's Liquid inert on the page, as any other text", async () => {
    const staff = await owner();
    await saveTexts(staff, "en", { "page.intro": "Hello {{ customer.email }} {% render 'x' %}" });
    const html = await storefrontPage("en");
    expect(html).toContain(
      "Hello &#123;&#123; customer.email &#125;&#125; &#123;&#37; render &#39;x&#39; &#37;&#125;",
    );
  });

  it("GIVEN a viewer THEN 403 and nothing is saved", async () => {
    await owner();
    const viewer = await signedInStaff({ userId: "5", role: null });
    const response = await saveTexts(viewer, "en", { "page.title": "Mine" });
    expect(response.status).toBe(403);
    expect(await getDb().storefrontText.count()).toBe(0);
  });
});
