import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort, waitFor } from "../test/helpers/processes";
import { createDb } from "../app/db.server";
import { createKeyring } from "../app/security/keyring";
import { DEMO_SHOP } from "../server/demo/demo-staff";
import { createAdminApiSimulator } from "../simulator/admin-api";
import { startSimulatorServer } from "../simulator/http-server";
import { addCustomer, parseGrants, seedStore } from "../simulator/store";
import { seededRandom } from "../simulator/random";
import { seedDemo } from "./demo-seed";
import { localSettings } from "./local-secrets";
import { compliancePayload, deliver } from "./send-webhook";

/**
 * `npm run demo`: the whole app on this machine, no Shopify account needed. A simulated Shopify
 * store answers the Admin API; the app runs its production build on SQLite in demo mode, which
 * adds a stand-in for the Shopify admin that embeds it and signs session tokens for four staff
 * members (owner, approver, an approver who may not erase customer data, viewer), a stand-in
 * storefront whose /apps/privacy is signed as Shopify's app proxy signs it, and a mail catcher that
 * shows the emails sent to shoppers. Demo mode refuses to start in production.
 */
if (process.env.NODE_ENV === "production") {
  process.stderr.write("npm run demo is for local use and refuses to run with NODE_ENV=production.\n");
  process.exit(1);
}

const settings = localSettings();
const base = settings.SHOPIFY_APP_URL;

if (!existsSync("build/server/index.js")) {
  process.stdout.write("Building the app (first run only)…\n");
  if (spawnSync("npm", ["run", "-s", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
}

// The simulated store: the same seed every run, so the saved requests keep matching customers.
// Two years of orders up to today: most are older than Shopify's 60-day window.
const store = seedStore({
  shop: DEMO_SHOP,
  seed: 7,
  customers: 16,
  ordersPerCustomer: 6,
  lineItemsPerOrder: 2,
  now: Date.now(),
});
// What the store granted the app (default: everything it requests, fully approved), e.g.
// DEMO_GRANTED_SCOPES=read_customers,write_customers,read_orders to see the banner and a 60-day export.
try {
  store.grants = parseGrants({
    scopes: process.env.DEMO_GRANTED_SCOPES,
    protectedCustomerData: process.env.DEMO_PROTECTED_CUSTOMER_DATA,
  });
} catch (error) {
  process.stderr.write(`DEMO_GRANTED_SCOPES / DEMO_PROTECTED_CUSTOMER_DATA: ${(error as Error).message}\n`);
  process.exit(2);
}
const simulatorPort = Number(process.env.DEMO_SIMULATOR_PORT ?? (await freePort()));
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
const simulator = createAdminApiSimulator({ stores: [store], bulkResultBaseUrl: `${simulatorUrl}/bulk` });
const simulatorServer = await startSimulatorServer(simulator, simulatorPort);

const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: { ...process.env, DATABASE_URL: settings.DATABASE_URL, CHECKPOINT_DISABLE: "1" },
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);
const db = createDb(settings.DATABASE_URL);
const seeded = await seedDemo(db, createKeyring(settings.ENCRYPTION_KEY, []), store);
await db.$disconnect();

// Who the customer account stand-in can sign in as: one customer with requests (the seed's first),
// then two who joined after the seed, with orders but no requests yet. Added once the requests
// are seeded, so the seed's customers stay the same from run to run.
const storeCustomers = [...store.customers.values()];
const newcomers = [101, 102].map((seed) =>
  addCustomer(store, {
    orders: 3,
    random: seededRandom(seed),
    since: Date.now() - 200 * 86_400_000,
    ordersUntil: Date.now(),
  }),
);
const accountCustomers = [storeCustomers[0]!, ...newcomers].map((customer) => ({
  id: String(customer.id),
  label: `${customer.firstName} ${customer.lastName} (customer ${customer.id})`,
}));
// The stand-in storefront's shoppers: two of the store's customers with an email, to sign in as.
const storefrontCustomers = [...store.customers.values()]
  .filter((customer) => customer.email)
  .slice(0, 2)
  .map((customer) => ({
    id: String(customer.id),
    name: `${customer.firstName} ${customer.lastName}`,
    email: customer.email,
  }));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  DEMO_CUSTOMER_ACCOUNTS: JSON.stringify(accountCustomers),
  ...settings,
  NODE_ENV: "development",
  DEMO_MODE: "1",
  SHOPIFY_ADMIN_API_ORIGIN: simulatorUrl,
  CHECKPOINT_DISABLE: "1",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  LOG_FORMAT: "pretty",
  DEMO_STOREFRONT_CUSTOMERS: JSON.stringify(storefrontCustomers),
};
const server = spawn("node_modules/.bin/tsx", ["server/demo/main.ts"], {
  env,
  stdio: ["ignore", "inherit", "inherit"],
});
const stop = (signal: NodeJS.Signals) => {
  server.kill(signal);
  void simulatorServer.close();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
server.on("exit", (code) => {
  void simulatorServer.close();
  process.exit(code ?? 0);
});

await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 30_000, `the app to answer on ${base}`);
// Shopify's side of the story: signed compliance webhooks for two customers of the store. Fixed
// webhook ids: running the demo again redelivers them, which the app ignores.
const url = `${base}/webhooks/compliance`;
const [first, second] = [...store.customers.values()].slice(13, 15);
for (const [i, customer] of [first!, second!].entries()) {
  const payload = compliancePayload("customers/data_request", {
    shop: DEMO_SHOP,
    customer: String(customer.id),
    email: customer.email ?? undefined,
    request: String(5001 + i),
  });
  await deliver(
    url,
    settings.SHOPIFY_API_SECRET,
    "customers/data_request",
    DEMO_SHOP,
    payload,
    `demo-data-request-${i}`,
  );
}

process.stdout.write(`
Privacy Desk demo (demo mode: simulated Shopify, no real shopper data)
${seeded.seeded ? `Seeded ${seeded.requests} requests for ${DEMO_SHOP}.` : `Using the saved demo data in ${settings.DATABASE_URL.replace("file:", "")}.`}

  Open the admin:  ${base}/admin
                   (sign in as the owner, an approver or a viewer from the top bar)
  Customer account: ${base}/demo/customer-account?customer=${accountCustomers[0]!.id}
                   (the Privacy page of new customer accounts, as customer ${accountCustomers[0]!.id}; a new customer: ?customer=${accountCustomers[1]!.id})
  Storefront:      ${base}/storefront/pages/privacy
                   (the theme block; ${base}/apps/privacy is the app proxy page; sign in as
                   ${storefrontCustomers.map((customer) => customer.name).join(" or ")} or switch GPC on from the top bar)
  Emails sent:     ${base}/demo/mail
  Admin API:       ${simulatorUrl} (simulator)
  Store granted:   ${[...store.grants.scopes].join(",") || "no scopes"}${
    process.env.DEMO_PROTECTED_CUSTOMER_DATA
      ? `; protected customer data: ${process.env.DEMO_PROTECTED_CUSTOMER_DATA}`
      : ""
  }

Ctrl-C stops it; the data stays in ${settings.DATABASE_URL.replace("file:", "").replace(/\/local\.sqlite$/, "")}/ for the next run.
`);
