import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { localSettings } from "./local-secrets";
import { compliancePayload, deliver } from "./send-webhook";

/**
 * `npm run demo`: the app on this machine, no Shopify account needed. Builds if needed, starts
 * the production server on a local SQLite file (migrations applied), and plays Shopify's part
 * by delivering signed compliance webhooks for a demo store, so there is something to look at.
 */
if (process.env.NODE_ENV === "production") {
  process.stderr.write("npm run demo is for local use and refuses to run with NODE_ENV=production.\n");
  process.exit(1);
}

const settings = localSettings();
const env: NodeJS.ProcessEnv = { ...process.env, ...settings, NODE_ENV: "production", DEMO_MODE: "1", CHECKPOINT_DISABLE: "1" };
const base = settings.SHOPIFY_APP_URL;
const SHOP = "demo-store.myshopify.com";

if (!existsSync("build/server/index.js")) {
  process.stdout.write("Building the app (first run only)…\n");
  if (spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
}

const server = spawn("node_modules/.bin/tsx", ["server/start.ts"], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

async function waitUntilUp() {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The app did not answer on ${base} within 30 s`);
}

await waitUntilUp();
const url = `${base}/webhooks/compliance`;
const people = [
  { customer: "1001", email: "ann@example.com", phone: "+1 555 0101", request: "5001" },
  { customer: "1002", email: "bo@example.com", phone: "+1 555 0102", request: "5002" },
  { customer: "1003", email: "cy@example.com", request: "5003" },
];
// Fixed webhook ids: running the demo again redelivers them, which the app ignores.
for (const [i, person] of people.entries()) {
  await deliver(url, settings.SHOPIFY_API_SECRET, "customers/data_request", SHOP, compliancePayload("customers/data_request", { shop: SHOP, ...person }), `demo-data-request-${i}`);
}
await deliver(url, settings.SHOPIFY_API_SECRET, "customers/redact", SHOP, compliancePayload("customers/redact", { shop: SHOP, customer: "1003", email: "cy@example.com" }), "demo-redact-0");

const cli = `DATABASE_URL=${settings.DATABASE_URL} ENCRYPTION_KEY=${settings.ENCRYPTION_KEY} npm run -s cli --`;
process.stdout.write(`
Privacy Desk is running at ${base}  (SQLite: ${settings.DATABASE_URL.replace("file:", "")})
Demo store ${SHOP} received 3 customers/data_request and 1 customers/redact webhooks, signed
as Shopify signs them; the worker erases customer 1003 within a second.

  Requests:      ${cli} requests list --shop ${SHOP}
  Audit chain:   ${cli} audit verify --shop ${SHOP}
  Send another:  npm run -s webhook -- customers/redact --shop ${SHOP} --customer 1001

Ctrl-C stops the app; the data stays in data/ for the next run.
`);
