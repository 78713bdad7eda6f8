import path from "node:path";
import { parseEnv } from "../../app/env.server";
import { readEnvOrExit } from "../../app/read-env.server";
import { startMailCatcher } from "../../simulator/mail-catcher";
import { runAppServer } from "../app-server";
import { demoAdminFrame } from "./admin-frame";
import { demoCustomerAccountHost } from "./customer-account-host";
import { DEMO_SHOP } from "./demo-staff";
import { demoMailPage } from "./mail-page";
import { demoStorefront, type DemoCustomer } from "./storefront";

// npm run demo's server: the production build plus the stand-in Shopify admin frame, the stand-in
// customer account host, a stand-in storefront and a mail catcher. The environment check refuses
// DEMO_MODE in production and anywhere but 127.0.0.1 (env.server.ts).
if (process.env.DEMO_MODE !== "1") {
  process.stderr.write("server/demo/main.ts serves the local demo only: run npm run demo.\n");
  process.exit(1);
}
// Every email the app sends (to shoppers and to the merchant) goes to an SMTP server in this
// process, shown at /demo/mail.
const catcher = await startMailCatcher(Number(process.env.DEMO_SMTP_PORT ?? 0));
process.env.SMTP_URL = catcher.url;
process.env.MAIL_FROM = "Privacy Desk demo <privacy@demo-store.example>";
const env = readEnvOrExit(parseEnv, 1);
if (!env.DEMO_MODE) process.exit(1);

// The simulated store's customers the account stand-in offers to sign in as (scripts/demo.ts).
const accountCustomers = JSON.parse(process.env.DEMO_CUSTOMER_ACCOUNTS ?? "[]") as {
  id: string;
  label: string;
}[];
const storefrontCustomers = JSON.parse(process.env.DEMO_STOREFRONT_CUSTOMERS ?? "[]") as DemoCustomer[];
await runAppServer(env, {
  before: [
    demoAdminFrame({ apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET }),
    await demoCustomerAccountHost({
      apiKey: env.SHOPIFY_API_KEY,
      apiSecret: env.SHOPIFY_API_SECRET,
      appUrl: env.SHOPIFY_APP_URL,
      shop: DEMO_SHOP,
      customers: accountCustomers,
    }),
    demoStorefront({
      apiSecret: env.SHOPIFY_API_SECRET,
      shop: DEMO_SHOP,
      shopName: process.env.DEMO_SHOP_NAME ?? "Demo Store",
      appOrigin: `http://${env.HOST}:${env.PORT}`,
      customers: storefrontCustomers,
      extensionDir: path.resolve("extensions/privacy-desk"),
    }),
    demoMailPage(catcher),
  ],
});
