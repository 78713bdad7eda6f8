import "@shopify/ui-extensions";
import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";

declare module "./src/ProfileCard.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
