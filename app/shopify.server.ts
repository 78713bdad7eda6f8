import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { API_VERSION } from "./api-version";
import { getDb } from "./db.server";
import { getEnv } from "./env.server";
import { libraryLogging, logger } from "./logger.server";
import { StaffSessionStorage } from "./session-storage.server";
import { recordInstall } from "./services/shops.server";

const env = getEnv();

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Keeps what each staff member may do in Shopify (associated_user_scope) with their session.
  sessionStorage: new StaffSessionStorage(getDb()),
  distribution: AppDistribution.AppStore,
  // Online tokens name the staff member and whether they own the store (roles, audit trail);
  // the worker keeps using the offline token, which token exchange stores as well.
  useOnlineTokens: true,
  // The library's logs go through the app's logger, at the same LOG_LEVEL.
  logger: libraryLogging(logger, env.LOG_LEVEL),
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstall(getDb(), { domain: session.shop, scopes: session.scope ?? null });
    },
  },
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
