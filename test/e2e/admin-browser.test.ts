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
import { createDb } from "../../app/db.server";
import { createKeyring } from "../../app/security/keyring";
import { createRequest, transitionRequest } from "../../app/services/requests.server";
import { DEMO_SHOP, DEMO_STAFF } from "../../server/demo/demo-staff";

const exec = promisify(execFile);

let demo: RunningProcess;
let adminUrl: string;
let demoDataDir: string;
let browser: Browser;
const axeReport: Record<string, AxeViolation[]> = {};

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "build/server/index.js")))
    await exec("npm", ["run", "build"], { cwd: ROOT });
  const port = await freePort();
  demoDataDir = mkdtempSync(path.join(tmpdir(), "privacy-desk-demo-"));
  // `npm run demo`, in its own data directory so a developer's demo data is never touched.
  demo = startProcess("node_modules/.bin/tsx", ["scripts/demo.ts"], {
    NODE_ENV: "development",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    DEMO_DATA_DIR: demoDataDir,
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
  as: "owner" | "approver" | "limited" | "viewer",
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
    const timeline = frame.locator("ol").filter({ hasText: "Approved by" });
    expect(
      await timeline
        .getByText("Approved by Arjun Patel, against the customer record in Shopify they reviewed")
        .count(),
    ).toBe(1);
    expect(await timeline.getByText("Completed: Shopify is erasing the customer").count()).toBe(1);
    expect(await frame.getByText("staff:9002").count()).toBe(0);
    await screenshot(page, "erasure-completed-timeline");
    await page.close();
  }, 60_000);

  it("shows an approver whom Shopify does not let erase customer data a disabled Approve, with why", async () => {
    const { page, app } = await openAdmin("limited", "/app/requests");
    await firstRequestMatching(app, { Status: "pending_review", Type: "erasure" });
    await expect.poll(() => app.getByRole("heading", { name: "Customer record in Shopify" }).count()).toBe(1);

    expect(await app.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
    expect(await app.locator('[data-testid="blocked-approve"]').innerText()).toContain(
      "Shopify does not let your staff account erase customer data",
    );
    // Denying needs no Shopify permission, so it stays available.
    expect(await app.getByRole("button", { name: "Deny" }).isEnabled()).toBe(true);
    await screenshot(page, "erasure-approval-blocked");
    await expectAccessible(app, "erasure-approval-blocked");

    // The same POST the button would send, forged past the disabled button: refused, nothing changes.
    const id = new URL(app.url()).pathname.split("/").pop()!;
    const status = await app.evaluate(async (requestId) => {
      const body = new FormData();
      body.set("intent", "approve");
      body.set("reviewedSnapshotHash", "c".repeat(64));
      return (await fetch(`/app/requests/${requestId}`, { method: "POST", body })).status;
    }, id);
    expect(status).toBe(403);
    await page.goto(`${adminUrl}?as=limited&path=${encodeURIComponent(`/app/requests/${id}`)}`);
    expect(await statusOf(await appFrame(page))).toBe("Pending review");
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
    await expect
      .poll(() => app.getByText("The email address has no valid domain after the @").count())
      .toBe(1);
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
    expect(await app.getByText("Arjun Patel recorded it from a phone call; identity verified").count()).toBe(
      1,
    );
    expect(await app.getByText("request.recorded_by_staff").count()).toBe(0);
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

  it("names staff in Settings and gives a role by picking a staff member", async () => {
    const { page, app } = await openAdmin("owner", "/app/settings");
    const roles = app.getByRole("table").filter({ hasText: "Given by" });
    await expect.poll(() => roles.getByText("Arjun Patel").count()).toBe(1);
    expect(await roles.getByText("Sam Okafor").count()).toBe(1);
    expect(await roles.getByRole("row").filter({ hasText: "Sam Okafor" }).innerText()).toContain(
      "Shopify does not let them erase customer data",
    );
    expect(await roles.getByText("Olivia Martin (you)").count()).toBe(1);
    expect(await roles.getByRole("row").filter({ hasText: "Vera Lindqvist" }).innerText()).toMatch(/Viewer/);
    // The storefront settings act now (issue 10), and Settings says what they do.
    expect(await app.getByText(/opt-outs never need verification \(CCPA\)/).count()).toBe(1);
    expect(await app.getByText("Takes effect when the storefront form is installed.").count()).toBe(0);

    await app.getByLabel("Staff member").selectOption({ label: "Vera Lindqvist (vera@demo-store.example)" });
    await app.getByLabel("Role", { exact: true }).selectOption("approver");
    await app.getByRole("button", { name: "Give role" }).click();
    await expect
      .poll(() => app.locator(".demo-toast").filter({ hasText: "Vera Lindqvist is now an approver" }).count())
      .toBe(1);
    await expect
      .poll(() => roles.getByRole("row").filter({ hasText: "Vera Lindqvist" }).innerText())
      .toMatch(/Approver\s+Olivia Martin/);
    await screenshot(page, "settings-staff-roles");
    await expectAccessible(app, "settings-staff-roles");

    // Back as she was, so the viewer stays a viewer for anything run after this.
    await app.getByLabel("Staff member").selectOption({ label: "Vera Lindqvist (vera@demo-store.example)" });
    await app.getByLabel("Role", { exact: true }).selectOption("viewer");
    await app.getByRole("button", { name: "Give role" }).click();
    await expect
      .poll(() => roles.getByRole("row").filter({ hasText: "Vera Lindqvist" }).innerText())
      .toMatch(/Viewer\s+Olivia Martin/);
    await page.close();
  }, 60_000);

  it("sets the team email language in Settings: an admin saves German, a viewer sees it and cannot change it", async () => {
    const { page, app } = await openAdmin("owner", "/app/settings");
    const language = app.getByLabel("Team email language");
    await expect.poll(() => language.count()).toBe(1);
    expect(await app.getByText(/Applies to the emails sent to the notification addresses/).count()).toBe(1);
    await language.selectOption({ label: "Deutsch" });
    await app.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => app.locator(".demo-toast").filter({ hasText: "Settings saved" }).count()).toBe(1);
    await language.scrollIntoViewIfNeeded();
    await screenshot(page, "settings-team-email-language");
    await expectAccessible(app, "settings-team-email-language");
    await page.close();

    const viewer = await openAdmin("viewer", "/app/settings");
    const shown = viewer.app.getByLabel("Team email language");
    await expect.poll(() => shown.inputValue()).toBe("de");
    expect(await shown.isDisabled()).toBe(true);
    await viewer.page.close();

    // Back to English, so anything run after this reads the demo's emails as before.
    const again = await openAdmin("owner", "/app/settings");
    await again.app.getByLabel("Team email language").selectOption({ label: "English" });
    await again.app.getByRole("button", { name: "Save settings" }).click();
    await expect
      .poll(() => again.app.locator(".demo-toast").filter({ hasText: "Settings saved" }).count())
      .toBe(1);
    await again.page.close();
  }, 60_000);

  it("shows refusals inside the app: a viewer's 'Record a request' (page load) and a missing request (client navigation)", async () => {
    const { page, app } = await openAdmin("viewer", "/app/requests/new");
    await expect.poll(() => app.getByRole("heading", { name: "Not allowed" }).count()).toBe(1);
    expect(await app.locator('[data-testid="error-message"]').innerText()).toContain(
      "Your role (viewer) does not allow request: create",
    );
    expect(await app.locator("ui-nav-menu").count()).toBe(1);
    expect(await app.getByText("Application Error").count()).toBe(0);
    await screenshot(page, "forbidden-in-frame");
    await expectAccessible(app, "forbidden-in-frame");

    // The viewer is not offered the button on the index either.
    await app.locator("ui-nav-menu").getByText("Requests").click();
    await app.waitForURL(/\/app\/requests(\?|$)/);
    await expect.poll(() => app.getByRole("heading", { name: "Requests" }).count()).toBe(1);
    expect(await app.getByText("Record a request").count()).toBe(0);

    // Client-side navigation (no page load) to a request this shop does not have.
    await app.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
      return (
        window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }
      ).__remixRouter.navigate("/app/requests/00000000-0000-4000-8000-000000000000");
    });
    await expect.poll(() => app.getByRole("heading", { name: "Not found" }).count()).toBe(1);
    expect(await app.locator('[data-testid="error-message"]').innerText()).toBe(
      "No such request in this shop",
    );
    expect(
      await app.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage),
    ).toBe(true);
    await expectAccessible(app, "not-found-in-frame");
    await page.close();
  }, 60_000);

  it("keeps a 5,000-character email and a right-to-left override from breaking or disguising the index, the request page and the timeline", async () => {
    const { longId, disguisedId, longEmail, disguisedEmail } = await seedHostileRequests();
    const { page, app } = await openAdmin("owner", "/app/requests");
    const links = app.locator('[data-testid="request-link"]');
    await links.first().waitFor();

    const shown = await links.allInnerTexts();
    expect(shown).toContain(disguisedEmail.replace("\u202E", ""));
    expect(shown.join("")).not.toContain("\u202E");
    expect(await pageOverflow(app)).toBeLessThanOrEqual(0);
    await screenshot(page, "hostile-text-index");
    await expectAccessible(app, "hostile-text-index");

    for (const [id, name] of [
      [longId, "hostile-text-request"],
      [disguisedId, "hostile-text-timeline"],
    ] as const) {
      await page.goto(`${adminUrl}?as=owner&path=${encodeURIComponent(`/app/requests/${id}`)}`);
      const frame = await appFrame(page);
      await statusBadge(frame).waitFor();
      expect(await pageOverflow(frame)).toBeLessThanOrEqual(0);
      const text = await frame.locator("body").innerText();
      expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      await screenshot(page, name);
      await expectAccessible(frame, name);
    }
    // The long address is there in full on its page, wrapped rather than cut.
    await page.goto(`${adminUrl}?as=owner&path=${encodeURIComponent(`/app/requests/${longId}`)}`);
    const frame = await appFrame(page);
    expect((await frame.locator("body").innerText()).replace(/\s/g, "")).toContain(longEmail);
    await page.close();
  }, 90_000);
});

/** How far the app's page is wider than its window (≤ 0: no sideways scrolling). */
function pageOverflow(frame: Frame) {
  return frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Requests as hostile data would leave them, written straight into the demo's database (the form
 * and the webhooks refuse such values now; older rows or other sources may still hold them): a
 * 5,000-character email, and an address disguised with U+202E that was denied with a reason full
 * of controls and one 5,000-character word.
 */
async function seedHostileRequests() {
  const settings = JSON.parse(readFileSync(path.join(demoDataDir, "local-secrets.json"), "utf8")) as {
    ENCRYPTION_KEY: string;
  };
  const db = createDb(`file:${path.join(demoDataDir, "local.sqlite")}`);
  const keyring = createKeyring(settings.ENCRYPTION_KEY, []);
  const longEmail = `${"a".repeat(4988)}@example.com`;
  const disguisedEmail = "ann\u202Egpj.evil@example.com";
  try {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
    const create = (email: string) =>
      db.$transaction((tx) =>
        createRequest(
          tx,
          keyring,
          {
            shopId: shop.id,
            type: "access",
            source: "storefront",
            regime: "gdpr",
            verified: true,
            receivedAt: new Date(),
            customerId: null,
            email,
            phone: "+1 555\u202E0100",
          },
          "system:storefront",
        ),
      );
    const long = await create(longEmail);
    const disguised = await create(disguisedEmail);
    await db.$transaction((tx) =>
      transitionRequest(tx, keyring, {
        shopId: shop.id,
        requestId: disguised.request.id,
        event: "deny",
        actor: `staff:${DEMO_STAFF.approver.userId}`,
        now: new Date(),
        reason: `Sent from \u202Egpj.exe\u202C\u0007 ${"x".repeat(5000)}`,
      }),
    );
    return { longId: long.request.id, disguisedId: disguised.request.id, longEmail, disguisedEmail };
  } finally {
    await db.$disconnect();
  }
}
