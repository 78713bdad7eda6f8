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
let adminUrl: string;
let browser: Browser;
const axeReport: Record<string, AxeViolation[]> = {};

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
  adminUrl = await waitFor(
    async () => /Open the admin:\s+(\S+)/.exec(demo.output())?.[1],
    90_000,
    "npm run demo to print its URL",
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  writeArtifact("axe-summary.json", `${JSON.stringify(axeReport, null, 2)}\n`);
});

async function openAdmin(
  as: "owner" | "approver" | "viewer",
  appPath = "/app",
): Promise<{ page: Page; app: Frame }> {
  const page = await newPage(browser);
  await page.goto(`${adminUrl}?as=${as}&path=${encodeURIComponent(appPath)}`);
  return { page, app: await appFrame(page) };
}

/** Accessibility: no serious or critical violation on the page as it is now. */
async function expectAccessible(app: Frame, pageName: string) {
  const violations = await axeViolations(app);
  axeReport[pageName] = violations;
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

const statusBadge = (app: Frame) => app.locator('[data-testid="request-status"]');
/** The badge's visible label (Polaris adds the tone, e.g. "Attention", for screen readers). */
const statusOf = async (app: Frame) => (await statusBadge(app).innerText()).split("\n").at(-1);

async function firstRequestMatching(app: Frame, filters: Record<string, string>): Promise<string> {
  for (const [label, value] of Object.entries(filters))
    await app.getByLabel(label, { exact: true }).selectOption(value);
  await app.getByRole("button", { name: "Apply" }).click();
  await app.waitForURL((url) => Object.values(filters).every((value) => url.search.includes(value)));
  const link = app.locator('[data-testid="request-link"]').first();
  await link.waitFor();
  await link.click();
  await app.waitForURL(/\/app\/requests\/[\w-]+/);
  await statusBadge(app).waitFor();
  return new URL(app.url()).pathname.split("/").pop()!;
}

describe("the merchant admin in a real browser (npm run demo)", () => {
  it("shows the dashboard with the seeded store's figures", async () => {
    const { page, app } = await openAdmin("owner");
    await expect.poll(() => app.getByRole("heading", { name: "Dashboard" }).count()).toBe(1);
    expect(Number(await app.locator('[data-testid="figure-open"]').innerText())).toBeGreaterThan(5);
    expect(Number(await app.locator('[data-testid="figure-overdue"]').innerText())).toBeGreaterThanOrEqual(1);
    await expect.poll(() => app.getByText("Demo mode").count()).toBe(1);
    await screenshot(page, "dashboard");
    await expectAccessible(app, "dashboard");
    await page.close();
  }, 60_000);

  it("filters the index, opens a request, approves it, sees it complete and downloads a valid export", async () => {
    const { page, app } = await openAdmin("owner", "/app/requests");
    await expectAccessible(app, "requests-index");
    const id = await firstRequestMatching(app, { Status: "pending_review", Type: "access" });
    await screenshot(page, "request-detail");
    await expectAccessible(app, "request-detail");
    expect(await statusOf(app)).toBe("Pending review");

    await app.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => statusOf(app), { timeout: 10_000 }).toMatch(/Approved|In progress|Completed/);
    await expect.poll(() => page.locator("iframe").count()).toBe(1);

    // The worker builds the export from the simulated store; the page shows it once reloaded.
    let download: Buffer | null = null;
    await expect
      .poll(
        async () => {
          await page.goto(`${adminUrl}?as=owner&path=${encodeURIComponent(`/app/requests/${id}`)}`);
          const frame = await appFrame(page);
          return frame.getByRole("button", { name: "Download export" }).count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    const frame = await appFrame(page);
    expect(await statusOf(frame)).toBe("Completed");
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      frame.getByRole("button", { name: "Download export" }).click(),
    ]);
    download = readFileSync((await file.path())!);
    const files = await unzip(download);
    const data = JSON.parse(files.get("data.json")!.toString()) as {
      schemaVersion: string;
      orders: unknown[];
      appRecords: { requests: { id: string }[] };
    };
    expect(data.appRecords.requests.map((r) => r.id)).toContain(id);
    expect(data.orders.length).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it("approves an erasure against the customer record Shopify holds now, and the worker carries it out", async () => {
    const { page, app } = await openAdmin("approver", "/app/requests");
    const id = await firstRequestMatching(app, { Status: "pending_review", Type: "erasure" });
    await expect.poll(() => app.getByRole("heading", { name: "Customer record in Shopify" }).count()).toBe(1);
    expect(await app.getByRole("button", { name: "Approve" }).isEnabled()).toBe(true);
    await app.getByRole("button", { name: "Approve" }).click();
    await expect
      .poll(
        async () => {
          await page.goto(`${adminUrl}?as=approver&path=${encodeURIComponent(`/app/requests/${id}`)}`);
          return statusOf(await appFrame(page));
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe("Completed");
    const frame = await appFrame(page);
    expect(await frame.getByText("request.approve").count()).toBe(1);
    expect(await frame.getByText("staff:9002").count()).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it("shows a rectification's corrections next to what Shopify holds now", async () => {
    const { page, app } = await openAdmin("viewer", "/app/requests");
    await firstRequestMatching(app, { Status: "pending_review", Type: "rectification" });
    await expect.poll(() => app.getByRole("heading", { name: "Corrections" }).count()).toBe(1);
    const corrections = app.getByRole("table").filter({ hasText: "Corrected to" });
    expect(await corrections.getByText("Alexandra", { exact: true }).count()).toBe(1);
    expect(await corrections.getByText("alexandra.new@example.com").count()).toBe(1);
    expect(await corrections.getByRole("row").filter({ hasText: "First name" }).innerText()).toMatch(
      /First name\s+\w+\s+Alexandra/,
    );
    await screenshot(page, "rectification-review");
    await page.close();
  }, 60_000);

  it("denies a request only with a reason, and shows the new status", async () => {
    const { page, app } = await openAdmin("approver", "/app/requests");
    await firstRequestMatching(app, { Status: "pending_review", Type: "sale_opt_out" });
    await app.getByRole("button", { name: "Deny" }).click();
    await app.getByRole("button", { name: "Confirm: deny" }).click();
    await expect.poll(() => app.getByText("Give the shopper a reason").count()).toBe(1);
    expect(await statusOf(app)).toBe("Pending review");

    await app
      .getByLabel("Reason for denying (told to the shopper)")
      .fill("We could not match this request to an account");
    await app.getByRole("button", { name: "Confirm: deny" }).click();
    await expect.poll(() => statusOf(app)).toBe("Denied");
    await expect.poll(() => app.locator(".demo-toast").filter({ hasText: "Request denied" }).count()).toBe(1);
    await page.close();
  }, 60_000);

  it("shows a viewer no approve button, and refuses their forged POST with 403", async () => {
    const { page, app } = await openAdmin("viewer", "/app/requests");
    const id = await firstRequestMatching(app, { Status: "pending_review" });
    expect(await app.getByRole("button", { name: "Approve" }).count()).toBe(0);
    await expect.poll(() => app.getByText("You can view this request").count()).toBe(1);

    // The same POST the approver's button sends, from the viewer's page (with their session token).
    const status = await app.evaluate(async (requestId) => {
      const body = new FormData();
      body.set("intent", "approve");
      const response = await fetch(`/app/requests/${requestId}`, { method: "POST", body });
      return response.status;
    }, id);
    expect(status).toBe(403);
    await page.goto(`${adminUrl}?as=viewer&path=${encodeURIComponent(`/app/requests/${id}`)}`);
    expect(await statusOf(await appFrame(page))).toBe("Pending review");
    await page.close();
  }, 60_000);

  it("records a request received by phone: errors inline first, then the new request's page", async () => {
    const { page, app } = await openAdmin("approver", "/app/requests/new");
    await app.getByLabel("Request", { exact: true }).selectOption("erasure");
    await app.getByLabel("Received by").selectOption("phone");
    await app.getByLabel("Shopper's email").fill("caller@localhost"); // the browser accepts it; the server does not;
    await app.getByRole("button", { name: "Record request" }).click();
    await expect.poll(() => app.getByText("Enter a valid email address").count()).toBe(1);
    expect(await app.getByText("Erasure and rectification act on a Shopify customer").count()).toBe(1);

    await app.getByLabel("Shopper's email").fill("caller@example.com");
    await app.getByLabel("Shopify customer id").fill("1000327");
    await app.getByLabel("I have verified the requester's identity").check();
    await app.getByRole("button", { name: "Record request" }).click();
    await app.waitForURL(/\/app\/requests\/[\w-]+\?created=1/);
    await expect.poll(() => statusOf(app)).toBe("Pending review");
    await expect
      .poll(() => app.locator(".demo-toast").filter({ hasText: "Request recorded" }).count())
      .toBe(1);
    expect(await app.getByText("request.recorded_by_staff").count()).toBe(1);
    await page.close();
  }, 60_000);

  it("renders the other pages accessibly: new request, audit log (verified chain), settings", async () => {
    for (const [name, appPath] of [
      ["new-request", "/app/requests/new"],
      ["audit-log", "/app/audit"],
      ["settings", "/app/settings"],
    ] as const) {
      const { page, app } = await openAdmin("owner", appPath);
      if (name === "audit-log") {
        await app.getByRole("button", { name: "Verify chain" }).click();
        await expect.poll(() => app.getByText("The audit chain is intact").count()).toBe(1);
        // The head shown is an anchor the merchant can keep and check against later.
        const head = (await app.getByTestId("chain-head").textContent())!;
        expect(head).toMatch(/^\d+:[0-9a-f]{64}$/);
        await app.getByLabel("Saved anchor").fill(head);
        await app.getByRole("button", { name: "Verify against a saved anchor" }).click();
        await expect.poll(() => app.getByText(/It still holds the anchored event/).count()).toBe(1);
      }
      await screenshot(page, name);
      await expectAccessible(app, name);
      await page.close();
    }
    const { page } = await openAdmin("owner", "/app/requests");
    await screenshot(page, "requests-index");
    await page.close();

    // A link with an impossible date renders the audit page with the problem shown, not an error page.
    const badFilter = await openAdmin("owner", "/app/audit?from=2026-13-45");
    await expect.poll(() => badFilter.app.getByText("These filters cannot be used").count()).toBe(1);
    expect(await badFilter.app.getByText(/from: 2026-13-45 is not a real date/).count()).toBe(1);
    expect(await badFilter.app.getByRole("button", { name: "Verify chain" }).count()).toBe(1);
    await badFilter.page.close();
  }, 60_000);
});
