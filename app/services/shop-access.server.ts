import {
  expandScopes,
  missingAccess,
  parseScopes,
  type GrantedAccess,
  type MissingAccess,
  type ProtectedDataStatus,
} from "../domain/access-requirements";
import type { Logger } from "../logger.server";
import { AdminApiError, type AdminClient } from "../shopify-admin/admin-client.server";

/**
 * What a store has granted the app, asked of Shopify with the shop's offline token (the one the
 * worker uses): the access scopes of the current installation, and whether Shopify hands over
 * customers' protected fields (read on one customer: an unapproved field comes back refused).
 */
export async function fetchGrantedAccess(admin: AdminClient): Promise<GrantedAccess> {
  const { data } = await admin.request("AppAccessScopes", {});
  const scopes = data.currentAppInstallation.accessScopes.map((scope) => scope.handle);
  return { scopes, protectedCustomerData: await probeProtectedCustomerData(admin, scopes) };
}

async function probeProtectedCustomerData(
  admin: AdminClient,
  scopes: readonly string[],
): Promise<ProtectedDataStatus> {
  if (!expandScopes(scopes).has("read_customers"))
    return { state: "unverified", reason: "no_read_customers" };
  try {
    const { data } = await admin.request("ProtectedCustomerDataProbe", {});
    return data.customers.nodes.length
      ? { state: "approved" }
      : { state: "unverified", reason: "no_customers" };
  } catch (error) {
    if (error instanceof AdminApiError && error.kind === "protected_customer_data" && error.details.access)
      return { state: "denied", ...error.details.access.protectedData };
    throw error;
  }
}

export interface ShopAccessStatus {
  problems: MissingAccess[];
  /** Whether Shopify answered; if not, `problems` come from the scopes the session recorded. */
  checkedWithShopify: boolean;
}

/**
 * For the admin: what is missing on this store. Never fails the page: when Shopify does not
 * answer, the scopes recorded with the session stand in and protected data stays unverified.
 */
export async function shopAccessStatus(deps: {
  admin: AdminClient;
  recordedScopes: string | null | undefined;
  logger: Logger;
}): Promise<ShopAccessStatus> {
  try {
    return { problems: missingAccess(await fetchGrantedAccess(deps.admin)), checkedWithShopify: true };
  } catch (error) {
    deps.logger.warn("could not ask Shopify what the store granted", { error: String(error) });
    return {
      problems: missingAccess({
        scopes: parseScopes(deps.recordedScopes),
        protectedCustomerData: { state: "unverified", reason: "unavailable" },
      }),
      checkedWithShopify: false,
    };
  }
}
