import { API_VERSION } from "../api-version";
import { getEnv } from "../env.server";
import { getMetrics } from "../metrics.server";
import { unauthenticated } from "../shopify.server";
import { createAdminClient, type AdminClient } from "./admin-client.server";

/**
 * An Admin API client for background work (the worker, not a merchant's request): it uses the
 * shop's offline session, which the library refreshes when the token has expired. A shop without
 * one (uninstalled) makes each call fail, and the job with it, visibly.
 */
export function adminClientForShop(
  shop: string,
  /** For a page waiting on the answer: fewer attempts and a time limit. */
  limits: { maxAttempts?: number; requestTimeoutMs?: number } = {},
): AdminClient {
  return createAdminClient({
    ...limits,
    shop,
    apiVersion: API_VERSION,
    adminApiOrigin: getEnv().SHOPIFY_ADMIN_API_ORIGIN,
    onThrottle: (event) => {
      const metrics = getMetrics();
      if ("waitMs" in event) metrics.adminThrottleWaitSeconds.inc(event.waitMs / 1000);
      else metrics.adminThrottled.inc();
    },
    accessToken: async () => {
      const { session } = await unauthenticated.admin(shop);
      if (!session.accessToken) throw new Error(`The offline session of ${shop} has no access token`);
      return session.accessToken;
    },
  });
}
