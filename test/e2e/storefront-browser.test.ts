import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appFrame,
  axeViolations,
  launchBrowser,
  newPage,
  screenshot,
  writeArtifact,
  type AxeViolation,
} from "../helpers/browser";
import { freePort, ROOT, startProcess, waitFor, type RunningProcess } from "../helpers/processes";
import { API_VERSION } from "../../app/api-version";
import { DEMO_SHOP } from "../../server/demo/demo-staff";

const exec = promisify(execFile);

let demo: RunningProcess;
let base: string;
let simulatorUrl: string;
let browser: Browser;
const axeReport: Record<string, AxeViolation[]> = {};
const screenshots: string[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "build/server/index.js")))
    await exec("npm", ["run", "build"], { cwd: ROOT });
  const port = await freePort();
  // `npm run demo`, in its own data directory so a developer's demo data is never touched.
  demo = startProcess("node_modules/.bin/tsx", ["scripts/demo.ts"], {
    NODE_ENV: "development",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    DEMO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "privacy-desk-demo-")),
    CHECKPOINT_DISABLE: "1",
    LOG_LEVEL: "warn",
  });
  const printed = await waitFor(
    async () => {
      const output = demo.output();
      const storefront = /Storefront:\s+(\S+)/.exec(output)?.[1];
      const simulator = /Admin API:\s+(\S+)/.exec(output)?.[1];
      return storefront && simulator ? { storefront, simulator } : null;
    },
    90_000,
    "npm run demo to print its storefront URL",
  );
  base = new URL(printed.storefront).origin;
  simulatorUrl = printed.simulator;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  writeArtifact("storefront-axe-summary.json", `${JSON.stringify(axeReport, null, 2)}\n`);
  if (screenshots.length) process.stdout.write(`Storefront screenshots:\n  ${screenshots.join("\n  ")}\n`);
});

async function shoot(page: Page, name: string) {
  screenshots.push(await screenshot(page, name));
}

/** Storefront pages are the shopper's: every WCAG 2.1 A/AA violation counts, whatever its impact. */
async function expectAccessible(page: Page, pageName: string) {
  const violations = await axeViolations(page.mainFrame());
  axeReport[pageName] = violations;
  expect(violations).toEqual([]);
}

/** The code in the newest email the demo's mail catcher (a real SMTP server) received for `to`. */
async function codeEmailedTo(to: string): Promise<string> {
  return waitFor(
    async () => {
      const mails = (await (await fetch(`${base}/demo/mail.json`)).json()) as {
        envelopeTo: string[];
        subject: string;
        text: string;
      }[];
      const mail = mails.filter((m) => m.envelopeTo.includes(to) && /code/i.test(m.subject)).at(-1);
      return mail ? /\b(\d{6})\b/.exec(mail.subject)?.[1] : null;
    },
    20_000,
    `the code email to ${to}`,
  );
}

/** What the simulated Shopify store holds for a customer, asked the way the app asks. */
async function customerInShopify(id: string): Promise<{ dataSaleOptOut: boolean } | null> {
  const response = await fetch(`${simulatorUrl}/${DEMO_SHOP}/admin/api/${API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_e2e" },
    body: JSON.stringify({
      query: "query ($id: ID!) { customer(id: $id) { dataSaleOptOut } }",
      variables: { id: `gid://shopify/Customer/${id}` },
    }),
  });
  const body = (await response.json()) as { data?: { customer: { dataSaleOptOut: boolean } | null } };
  return body.data?.customer ?? null;
}

const statusOf = async (app: Frame) =>
  (await app.locator('[data-testid="request-status"]').innerText()).split("\n").at(-1);

/** The form asks what to correct only once the shopper has picked a correction request. */
async function expectCorrectionsOnlyForACorrection(page: Page) {
  const firstName = page.getByRole("textbox", { name: "First name" });
  expect(await firstName.isVisible()).toBe(false);
  await page.getByLabel("Correct my personal data").check();
  await firstName.waitFor({ state: "visible" });
  await page.getByLabel("Delete my personal data").check();
  await firstName.waitFor({ state: "hidden" });
}

describe("the storefront in a real browser (npm run demo's stand-in store)", () => {
  it("GIVEN a logged-out shopper on the theme block's page WHEN they file an access request and enter the emailed code THEN the merchant sees it pending review", async () => {
    const email = `shopper-${Date.now()}@example.com`;
    const page = await newPage(browser);
    await page.goto(`${base}/storefront/pages/privacy`);
    await expectCorrectionsOnlyForACorrection(page);
    await page.getByLabel("Get a copy of my personal data").check();
    await page.getByRole("textbox", { name: "Email address (required)" }).fill(email);
    await page.getByLabel(/Anything else/).fill("Please include <b>my</b> orders.");
    await shoot(page, "storefront-form");
    await expectAccessible(page, "storefront-form (theme block)");

    await page.getByRole("button", { name: "Send request" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/apps\/privacy/);
    await shoot(page, "storefront-code-step");
    await expectAccessible(page, "storefront-code-step");

    await page.getByLabel("6-digit code").fill(await codeEmailedTo(email));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("heading", { name: "Request received" }).waitFor();
    const requestId = (await page.locator("main code").innerText()).trim();
    expect(requestId).not.toBe("");
    await shoot(page, "storefront-done");
    await expectAccessible(page, "storefront-done");
    await page.close();

    const admin = await newPage(browser);
    await admin.goto(`${base}/admin?as=owner&path=${encodeURIComponent(`/app/requests/${requestId}`)}`);
    const app = await appFrame(admin);
    await expect.poll(() => statusOf(app), { timeout: 10_000 }).toBe("Pending review");
    expect(await app.getByText(email).count()).toBeGreaterThan(0);
    // The shopper's markup is shown as text, never rendered.
    expect(await app.getByText("Please include <b>my</b> orders.").count()).toBe(1);
    await shoot(admin, "storefront-request-in-admin");
    await admin.close();
  }, 90_000);

  it("GIVEN a logged-in customer whose browser sends Global Privacy Control WHEN they open the store THEN the page says the signal is honoured and Shopify's record is opted out", async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/storefront`);
    const customerId = await page.locator("#demo-shopper option").nth(1).getAttribute("value");
    expect(customerId).toMatch(/^\d+$/);
    expect(await customerInShopify(customerId!)).toEqual({ dataSaleOptOut: false });

    await page.locator("#demo-shopper").selectOption(customerId!);
    await page.getByRole("button", { name: "Switch" }).click();
    await page.waitForURL(/\/storefront$/);
    await page.getByRole("button", { name: /Global Privacy Control: off/ }).click();
    await page.getByRole("button", { name: /Global Privacy Control: on/ }).waitFor();

    const status = page.getByRole("status").filter({ hasText: "Opt-out preference signal honoured" });
    await status.waitFor({ state: "visible", timeout: 15_000 });
    expect(await page.locator("#demo-consent").innerText()).toContain("sale_of_data: false");
    await expect
      .poll(async () => (await customerInShopify(customerId!))?.dataSaleOptOut, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(true);
    await shoot(page, "storefront-gpc-honoured");
    await expectAccessible(page, "storefront-home (GPC honoured)");
    await page.close();
  }, 90_000);

  it("GIVEN the app proxy page itself WHEN a shopper opens it THEN it renders in the store's layout with no accessibility violation", async () => {
    const page = await newPage(browser);
    const response = await page.goto(`${base}/apps/privacy`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toContain("no-store");
    await page.getByRole("heading", { name: "Privacy requests" }).waitFor();
    await expectCorrectionsOnlyForACorrection(page);
    await shoot(page, "storefront-proxy-page");
    await expectAccessible(page, "storefront-proxy-page");
    await page.close();
  }, 60_000);
});
