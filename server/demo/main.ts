import { parseEnv } from "../../app/env.server";
import { readEnvOrExit } from "../../app/read-env.server";
import { runAppServer } from "../app-server";
import { demoAdminFrame } from "./admin-frame";
import { demoCustomerAccountHost } from "./customer-account-host";
import { DEMO_SHOP } from "./demo-staff";

// npm run demo's server: the production build plus the stand-in Shopify admin frame and the
// stand-in customer account host. The environment check refuses DEMO_MODE in production and
// anywhere but 127.0.0.1 (env.server.ts).
const env = readEnvOrExit(parseEnv, 1);
if (!env.DEMO_MODE) {
  process.stderr.write("server/demo/main.ts serves the local demo only: run npm run demo.\n");
  process.exit(1);
}
// The simulated store's customers the account stand-in offers to sign in as (scripts/demo.ts).
const customers = JSON.parse(process.env.DEMO_CUSTOMER_ACCOUNTS ?? "[]") as { id: string; label: string }[];
await runAppServer(env, {
  before: [
    demoAdminFrame({ apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET }),
    await demoCustomerAccountHost({
      apiKey: env.SHOPIFY_API_KEY,
      apiSecret: env.SHOPIFY_API_SECRET,
      appUrl: env.SHOPIFY_APP_URL,
      shop: DEMO_SHOP,
      customers,
    }),
  ],
});
