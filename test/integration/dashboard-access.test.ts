import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { http, HttpResponse } from "msw";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { AccessBanner } from "../../app/components/AccessBanner";
import type { MissingAccess } from "../../app/domain/access-requirements";
import { loader } from "../../app/routes/app._index";
import type { ShopAccessStatus } from "../../app/services/shop-access.server";
import { resetDatabase } from "../helpers/reset";
import { simulatedShopify } from "../helpers/simulated-shopify";
import { embeddedRequest, respond, signedInStaff } from "../helpers/staff";
import { mswServer } from "../setup/test-env";

beforeEach(resetDatabase);

/** The store owner opens the dashboard; what the loader says is missing. */
async function dashboardAccess(): Promise<ShopAccessStatus> {
  const owner = await signedInStaff({ userId: "300", owner: true });
  const response = await respond(async () =>
    loader({ request: await embeddedRequest(owner, "/app"), params: {}, context: {} }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { access: ShopAccessStatus }).access;
}

const banner = (problems: MissingAccess[], checkedWithShopify = true) =>
  renderToStaticMarkup(
    createElement(AppProvider, { i18n: en }, createElement(AccessBanner, { problems, checkedWithShopify })),
  );
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("the dashboard tells the merchant what Privacy Desk is missing from Shopify", () => {
  it("says nothing when the store granted everything and Shopify approved customer data", async () => {
    simulatedShopify();
    const access = await dashboardAccess();
    expect(access).toEqual({ problems: [], checkedWithShopify: true });
    expect(banner(access.problems)).toBe(renderToStaticMarkup(createElement(AppProvider, { i18n: en })));
  });

  it("names each missing scope and unapproved field, what it breaks and how to fix it", async () => {
    // GIVEN a store that installed the app before issue 8, and no approval for emails and phones
    const shopify = simulatedShopify();
    shopify.store.grants.scopes = new Set([
      "read_customers",
      "write_customers",
      "read_orders",
      "write_customer_data_erasure",
    ]);
    shopify.store.grants.protectedCustomerData.fields = new Set(["name", "address"]);
    // WHEN the owner opens the dashboard
    const access = await dashboardAccess();
    // THEN the banner lists customer data first, then each scope
    expect(access.checkedWithShopify).toBe(true);
    expect(access.problems.map((problem) => problem.key)).toEqual([
      "protected_customer_data",
      "read_all_orders",
      "write_privacy_settings",
      "write_app_proxy",
    ]);
    const html = banner(access.problems);
    expect(html).toContain("--p-color-bg-fill-critical");
    const shown = text(html);
    expect(shown).toContain("Privacy Desk is missing 4 things it needs from Shopify");
    expect(shown).toContain(
      "Shopify has not approved Privacy Desk to read customers' email addresses and phone numbers",
    );
    expect(shown).toContain("Missing permission: read_all_orders");
    expect(shown).toContain("Exports include only orders from the last 60 days");
    expect(shown).toContain("Missing permission: write_privacy_settings");
    expect(shown).toContain("every approved CCPA opt-out fails");
    expect(shown).toContain("Missing permission: write_app_proxy");
    expect(shown).toContain("shoppers cannot make requests on the storefront");
    expect(shown).toMatch(
      /How to fix it: The store owner grants it by approving Privacy Desk's updated access/,
    );
  });

  it("falls back to the scopes recorded with the session when Shopify does not answer, and says so", async () => {
    mswServer.use(http.post(/\/admin\/api\/[^/]+\/graphql\.json$/, () => HttpResponse.error()));
    const access = await dashboardAccess();
    // The test staff's session recorded read_customers and write_customers only.
    expect(access).toMatchObject({ checkedWithShopify: false });
    expect(access.problems.map((problem) => problem.key)).toEqual([
      "read_orders",
      "read_all_orders",
      "write_customer_data_erasure",
      "write_privacy_settings",
      "write_app_proxy",
    ]);
    expect(text(banner(access.problems, false))).toContain("Shopify did not answer just now");
  });

  it("warns rather than alarms when only the 60-day order window is missing", async () => {
    const shopify = simulatedShopify();
    shopify.store.grants.scopes.delete("read_all_orders");
    const html = banner((await dashboardAccess()).problems);
    expect(html).toContain("--p-color-bg-fill-warning");
    expect(html).not.toContain("--p-color-bg-fill-critical");
  });
});
