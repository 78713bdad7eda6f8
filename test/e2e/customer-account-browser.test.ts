import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
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
import { unzip } from "../helpers/zip";

const exec = promisify(execFile);

let demo: RunningProcess;
let base: string;
let withRequests: string;
let newcomer: string;
let otherNewcomer: string;
let browser: Browser;
const axeReport: Record<string, AxeViolation[]> = {};

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "build/server/index.js")))
    await exec("npm", ["run", "build"], { cwd: ROOT });
  const port = await freePort();
  demo = startProcess("node_modules/.bin/tsx", ["scripts/demo.ts"], {
    NODE_ENV: "development",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    DEMO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "privacy-desk-account-")),
    CHECKPOINT_DISABLE: "1",
    LOG_LEVEL: "warn",
  });
  const printed = await waitFor(
    async () =>
      /Customer account:\s+(\S+)\?customer=(\d+)[\s\S]*?a new customer: \?customer=(\d+)/.exec(demo.output()),
    90_000,
    "npm run demo to print the customer account URL",
  );
  base = printed[1]!.replace(/\/demo\/customer-account$/, "");
  withRequests = printed[2]!;
  newcomer = printed[3]!;
  browser = await launchBrowser();
  // The stand-in offers the demo's customers: the second newcomer is the last option.
  const page = await newPage(browser);
  await page.goto(`${base}/demo/customer-account?customer=${newcomer}`);
  const options = await page
    .locator('select[name="customer"] option')
    .evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
  otherNewcomer = options.at(-1)!;
  await page.close();
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  writeArtifact("axe-customer-account.json", `${JSON.stringify(axeReport, null, 2)}\n`);
});

interface Opened {
  page: Page;
  extension: Frame;
}

/** The stand-in customer account with the extension rendered in its sandboxed frame. */
async function openAccount(
  customer: string,
  options: { lang?: string; target?: "page" | "profile"; forge?: string } = {},
): Promise<Opened> {
  const page = await newPage(browser);
  const query = new URLSearchParams({
    customer,
    lang: options.lang ?? "en",
    target: options.target ?? "page",
    ...(options.forge ? { forge: options.forge } : {}),
  });
  await page.goto(`${base}/demo/customer-account?${query.toString()}`);
  await page.waitForSelector("iframe[name=extension]");
  const extension = page.frame({ name: "extension" })!;
  await extension.locator(options.target === "profile" ? "s-section" : "s-page").waitFor();
  return { page, extension };
}

/** What the page says, including the Polaris elements' own text (headings live in their shadow roots). */
const text = (extension: Frame) =>
  extension.evaluate(() => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? "";
      if (!(node instanceof Element || node instanceof ShadowRoot || node instanceof Document)) return "";
      if (node instanceof Element && ["STYLE", "SCRIPT"].includes(node.tagName)) return "";
      if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) return "";
      const shadow = node instanceof Element && node.shadowRoot ? walk(node.shadowRoot) : "";
      return `${shadow}${[...node.childNodes].map(walk).join("")}\n`;
    };
    return walk(document.body).replace(/\n\s*\n+/g, "\n");
  });

/** The page once its list has loaded (no spinner left). */
async function loaded(extension: Frame) {
  await expect.poll(() => extension.locator("s-spinner").count(), { timeout: 15_000 }).toBe(0);
  return text(extension);
}

/** A screenshot once the host has sized the extension's frame to its content. */
async function shot(page: Page, name: string) {
  await expect
    .poll(() =>
      page.locator("iframe[name=extension]").evaluate((frame) => (frame as HTMLIFrameElement).style.height),
    )
    .not.toBe("");
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.waitForTimeout(200);
  return screenshot(page, name);
}

async function expectAccessible(extension: Frame, name: string) {
  const violations = await axeViolations(extension);
  axeReport[name] = violations;
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

/** The merchant approves the request in the admin, as an approver would. */
async function approveInAdmin(requestId: string) {
  const page = await newPage(browser);
  await page.goto(`${base}/admin?as=approver&path=${encodeURIComponent(`/app/requests/${requestId}`)}`);
  const app = await appFrame(page);
  await app.getByRole("button", { name: "Approve" }).click();
  await expect
    .poll(() => app.locator('[data-testid="request-status"]').innerText(), { timeout: 10_000 })
    .toMatch(/Approved|In progress|Completed/);
  await page.close();
}

describe("the Privacy page in new customer accounts (stand-in host, real browser)", () => {
  it("files a request, follows it, and downloads the export once the store has made it", async () => {
    // GIVEN a signed-in customer who has never asked anything
    const { page, extension } = await openAccount(newcomer);
    expect(await loaded(extension)).toContain("You have not made any privacy requests yet");
    await shot(page, "customer-account-empty-en");
    await expectAccessible(extension, "customer-account-empty");

    // WHEN they ask to see their data
    const [filed] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith("/customer-account/requests") && r.request().method() === "POST",
      ),
      extension.getByRole("button", { name: "Send request" }).click(),
    ]);
    expect(filed.status()).toBe(201);
    const requestId = ((await filed.json()) as { request: { id: string } }).request.id;

    // THEN it is listed, being reviewed, with its deadline and history
    await expect.poll(() => text(extension)).toContain("Being reviewed");
    const listed = await text(extension);
    expect(listed).toContain("See my data");
    expect(listed).toContain("answer due by");
    expect(listed).toContain("Request received");
    expect(listed).toContain("Request sent");
    await shot(page, "customer-account-with-request-en");
    await page.close();

    // WHEN the merchant approves it and the worker has built the export
    await approveInAdmin(requestId);
    let ready: Opened | null = null;
    await expect
      .poll(
        async () => {
          await ready?.page.close();
          ready = await openAccount(newcomer);
          return (await loaded(ready.extension)).includes("Your data is ready");
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(true);
    const { page: readyPage, extension: readyFrame } = ready!;
    await shot(readyPage, "customer-account-export-ready-en");
    await expectAccessible(readyFrame, "customer-account-export-ready");

    // THEN they get a one-time link and download their own data
    await readyFrame.getByRole("button", { name: "Get download link" }).click();
    const downloadLink = readyFrame.getByRole("link", { name: "Download your data" });
    await downloadLink.waitFor();
    // The link opens a new tab (target=_blank, out of the sandbox) whose answer is the file;
    // Chromium reports the download on the page that opened it.
    const [file] = await Promise.all([readyPage.waitForEvent("download"), downloadLink.click()]);
    const files = await unzip(readFileSync((await file.path())!));
    const data = JSON.parse(files.get("data.json")!.toString()) as {
      appRecords: { requests: { id: string }[] };
      customer: { id: string } | null;
    };
    expect(data.appRecords.requests.map((r) => r.id)).toContain(requestId);
    expect(data.customer?.id).toBe(`gid://shopify/Customer/${newcomer}`);

    // AND the page's history says they did
    const again = await openAccount(newcomer);
    expect(await loaded(again.extension)).toContain("You downloaded your data");
    await readyPage.close();
    await again.page.close();

    // AND in German
    const german = await openAccount(newcomer, { lang: "de" });
    expect(await loaded(german.extension)).toContain("Ihre Daten sind bereit");
    await shot(german.page, "customer-account-export-ready-de");
    await german.page.close();
  }, 150_000);

  it("shows a customer with history their requests, in English and German, and the empty page in German", async () => {
    for (const lang of ["en", "de"]) {
      const { page, extension } = await openAccount(withRequests, { lang });
      const shown = await loaded(extension);
      expect(shown).toContain(lang === "en" ? "Your requests" : "Ihre Anfragen");
      expect(await extension.locator("s-box").count()).toBeGreaterThan(0);
      await shot(page, `customer-account-with-requests-${lang}`);
      await page.close();
    }
    const { page, extension } = await openAccount(otherNewcomer, { lang: "de" });
    expect(await loaded(extension)).toContain("Sie haben noch keine Datenschutzanfrage gestellt");
    await shot(page, "customer-account-empty-de");
    await page.close();
  }, 60_000);

  it("never shows one customer another's requests, whatever token the page is given", async () => {
    // GIVEN the customer with history, whose request references are visible to them
    const own = await openAccount(withRequests);
    await loaded(own.extension);
    const references = [...(await text(own.extension)).matchAll(/Reference (\w{8})/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(0);
    await own.page.close();

    // WHEN another customer opens the page, or the page gets a forged or foreign token for them
    const cases = [
      { customer: otherNewcomer, forge: undefined, expect: /Your requests/ },
      { customer: withRequests, forge: "wrong-secret", expect: /Your session has expired/ },
      { customer: withRequests, forge: "other-app", expect: /Your session has expired/ },
      { customer: withRequests, forge: "other-shop", expect: /not available in this store/ },
    ];
    for (const entry of cases) {
      const { page, extension } = await openAccount(entry.customer, { forge: entry.forge });
      await expect.poll(() => text(extension), { timeout: 15_000 }).toMatch(entry.expect);
      await expect.poll(() => extension.locator("s-spinner").count()).toBe(0);
      // THEN none of the first customer's requests is shown
      const shown = await text(extension);
      for (const reference of references)
        expect(shown, `${entry.forge ?? "other customer"}`).not.toContain(reference);
      if (entry.forge) await shot(page, `customer-account-refused-${entry.forge}`);
      await page.close();
    }
  }, 90_000);

  it("shows the Profile card, which leads to the Privacy page", async () => {
    const { page, extension } = await openAccount(withRequests, { target: "profile" });
    await expect.poll(() => text(extension)).toContain("Manage your privacy");
    await shot(page, "customer-account-profile-card-en");
    await extension.getByRole("link", { name: "Manage your privacy" }).click();
    await page.waitForURL(/target=page/);
    const privacy = page.frame({ name: "extension" })!;
    await privacy.locator("s-page").waitFor();
    expect(await loaded(privacy)).toContain("Your requests");
    await page.close();
  }, 60_000);
});
