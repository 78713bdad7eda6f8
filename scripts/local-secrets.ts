import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Settings for running on this machine without a Shopify account. Secrets are generated once
 * and kept in data/ (git-ignored), so the local database stays readable across runs.
 */
// DEMO_DATA_DIR lets the browser tests run a demo without touching a developer's data/.
export const LOCAL_DIR = process.env.DEMO_DATA_DIR ?? "data";
const SECRETS_FILE = path.join(LOCAL_DIR, "local-secrets.json");

export interface LocalSettings {
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SHOPIFY_APP_URL: string;
  ENCRYPTION_KEY: string;
  DATABASE_URL: string;
  PORT: string;
  HOST: string;
}

export function localSettings(): LocalSettings {
  mkdirSync(LOCAL_DIR, { recursive: true });
  if (!existsSync(SECRETS_FILE)) {
    const secrets = {
      SHOPIFY_API_SECRET: randomBytes(24).toString("hex"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    };
    writeFileSync(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  const secrets = JSON.parse(readFileSync(SECRETS_FILE, "utf8")) as {
    SHOPIFY_API_SECRET: string;
    ENCRYPTION_KEY: string;
  };
  const port = process.env.PORT ?? "3000";
  return {
    SHOPIFY_API_KEY: "local-demo-api-key",
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: `file:${path.resolve(LOCAL_DIR, "local.sqlite")}`,
    PORT: port,
    HOST: "127.0.0.1",
    ...secrets,
  };
}
