import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version the app speaks, for webhooks (shopify.app.toml), the library and
 * every GraphQL call. test/unit/app-config.test.ts fails if shopify.app.toml disagrees.
 */
export const API_VERSION = ApiVersion.July26;

/** Exactly what the app uses, and no more (App Store review rejects extra scopes). */
export const ACCESS_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "write_customer_data_erasure",
  "write_app_proxy",
] as const;
