import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version the app speaks, for webhooks (shopify.app.toml), the library and
 * every GraphQL call. test/unit/app-config.test.ts fails if shopify.app.toml disagrees.
 */
export const API_VERSION = ApiVersion.July26;

/**
 * Exactly what the app uses, and no more (App Store review rejects extra scopes). Why each one:
 * app/domain/access-requirements.ts; which operation needs it: ADMIN_OPERATION_ACCESS in
 * app/shopify-admin/operations.ts. test/unit/app-config.test.ts keeps the three and
 * shopify.app.toml in step.
 */
export const ACCESS_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_all_orders",
  "write_customer_data_erasure",
  "write_privacy_settings",
  "write_app_proxy",
] as const;

/**
 * Requested scopes that serve something other than the Admin API calls in operations.ts:
 * `write_app_proxy` configures the storefront request page (`[app_proxy]` in shopify.app.toml).
 * The rest must each be needed by an operation; test/unit/admin-operations-access.test.ts checks it.
 */
export const SCOPES_OUTSIDE_ADMIN_API: readonly string[] = ["write_app_proxy"];
