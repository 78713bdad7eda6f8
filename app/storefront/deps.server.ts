import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { getKeyring } from "../keys.server";
import { logger } from "../logger.server";
import type { StorefrontDeps } from "./storefront-proxy.server";

/** What the proxy routes need, read on first use (the environment is valid by then). */
export function storefrontDeps(): StorefrontDeps {
  const env = getEnv();
  return {
    db: getDb(),
    keyring: getKeyring(),
    apiSecret: env.SHOPIFY_API_SECRET,
    now: () => new Date(),
    mailReady: Boolean(env.SMTP_URL && env.MAIL_FROM),
    trustedProxies: env.STOREFRONT_TRUSTED_PROXIES,
    exportRetentionDays: env.EXPORT_RETENTION_DAYS,
    logger,
  };
}
