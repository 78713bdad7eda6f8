import "@shopify/ui-extensions";
import type { Api } from "@shopify/ui-extensions/customer-account.page.render";

// The `shopify` global of this extension's target, as Shopify's CLI declares it.
declare module "./src/PrivacyPage.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
declare module "./src/api.ts" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
