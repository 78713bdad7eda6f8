import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { runCli, USAGE } from "../../app/cli/commands";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { noAdminApi, testExportStorage } from "../helpers/worker-deps";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    db: getDb(),
    keyring: getKeyring(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
};

async function receive(topic: "customers/data_request" | "customers/redact", shop = SHOP) {
  const response = await action({
    request: signedWebhook({ topic, shop, body: samplePayload(topic, shop) }),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
}

beforeEach(resetDatabase);

describe("operator CLI", () => {
  it("requests list --json gives the documented fields, scoped to the shop", async () => {
    await receive("customers/data_request");
    await receive("customers/data_request", OTHER_SHOP);

    const { code, stdout } = await run("requests", "list", "--shop", SHOP, "--json");

    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: expect.any(String),
      shop: SHOP,
      type: "access",
      status: "pending_review",
      source: "shopify_webhook",
      customerId: "191167",
      email: "john@example.com",
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      dueAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("shows email null once the customer was redacted, and filters by status and type", async () => {
    await receive("customers/redact");
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();

    const completed = JSON.parse(
      (await run("requests", "list", "--shop", SHOP, "--status", "completed", "--type", "erasure", "--json"))
        .stdout,
    );
    const pending = JSON.parse(
      (await run("requests", "list", "--shop", SHOP, "--status", "pending_review", "--json")).stdout,
    );

    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ email: null, customerId: "191167", status: "completed" });
    expect(pending).toEqual([]);
  });

  it("requests show prints the request with its audit events", async () => {
    await receive("customers/redact");
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();
    const [request] = JSON.parse((await run("requests", "list", "--shop", SHOP, "--json")).stdout);

    const json = await run("requests", "show", request.id, "--json");
    const text = await run("requests", "show", request.id);

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).events.map((e: { action: string }) => e.action)).toEqual([
      "request.received",
      "request.start",
      "request.complete",
    ]);
    expect(text.stdout).toMatch(/#1 .* shopify request\.received/);
    expect(text.stdout).toMatch(/\[personal data erased\]/);
    expect((await run("requests", "show", "no-such-id")).code).toBe(1);
  });

  it("audit verify passes on an untouched chain and names the row edited directly in SQL", async () => {
    await receive("customers/data_request");
    await receive("customers/redact");
    await createWorker({
      db: getDb(),
      keyring: getKeyring(),
      logger,
      exports: testExportStorage(),
      admin: noAdminApi,
    }).drain();
    expect(await run("audit", "verify", "--shop", SHOP)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/intact: 5 events verified/),
    });

    // An insider edits the reason recorded in one event, bypassing the app
    const [victim] = await getDb().$queryRawUnsafe<{ id: string; seq: bigint }[]>(
      `SELECT id, seq FROM "AuditEvent" WHERE action = 'request.start'`,
    );
    await getDb().$executeRawUnsafe(
      `UPDATE "AuditEvent" SET data = '{"from":"approved","to":"denied"}' WHERE id = ?`,
      victim!.id,
    );

    const result = await run("audit", "verify", "--shop", SHOP);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`BROKEN at event ${victim!.id} (seq ${Number(victim!.seq)})`);
    expect(result.stdout).toContain("does not match its hash");
  });

  it("audit verify names a deleted event by the gap it leaves", async () => {
    await receive("customers/data_request");
    await receive("customers/redact");
    await getDb().$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE seq = 1`);

    const result = await run("audit", "verify", "--shop", SHOP);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/seq 2\).*expected sequence number 1/);
  });

  it("audit export writes one JSON object per line, in chain order", async () => {
    await receive("customers/data_request");
    await receive("customers/redact");

    const { code, stdout } = await run("audit", "export", "--shop", SHOP);

    expect(code).toBe(0);
    const events = stdout.split("\n").map((line) => JSON.parse(line));
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(stdout).not.toContain("john@example.com");
  });

  it.each([
    [[]],
    [["requests"]],
    [["requests", "list"]],
    [["requests", "list", "--shop", "not a domain"]],
    [["requests", "list", "--shop", SHOP, "--status", "sleeping"]],
    [["requests", "list", "--shop", SHOP, "--type", "gossip"]],
    [["requests", "list", "--shop", SHOP, "--bogus"]],
    [["requests", "show"]],
    [["audit", "verify"]],
    [["launch", "rockets"]],
  ])("prints usage and exits 2 for %j", async (argv) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(USAGE.split("\n")[0]);
  });

  it("jobs list shows failed jobs, and jobs retry requeues one", async () => {
    const db = getDb();
    const shop = await db.shop.create({ data: { domain: SHOP } });
    const job = await db.job.create({
      data: {
        shopId: shop.id,
        kind: "execute_request",
        payload: "{}",
        status: "failed",
        attempts: 8,
        lastError: "boom",
      },
    });

    const listed = JSON.parse((await run("jobs", "list", "--status", "failed", "--json")).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id: job.id, shop: SHOP, status: "failed", lastError: "boom" }),
    ]);
    expect((await run("jobs", "retry", job.id)).code).toBe(0);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "queued",
      attempts: 0,
    });
    expect((await run("jobs", "retry", job.id)).code).toBe(1);
  });

  it("runs as `npm run -s cli` against DATABASE_URL", async () => {
    await receive("customers/data_request");

    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "cli", "--", "requests", "list", "--shop", SHOP, "--json"],
      {
        env: { ...process.env },
      },
    );

    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ shop: SHOP, email: "john@example.com" })]);
  });

  it("exits 2 naming the variable when ENCRYPTION_KEY is missing", async () => {
    const env = { ...process.env };
    delete env.ENCRYPTION_KEY;
    const failure = await promisify(execFile)(
      "npm",
      ["run", "-s", "cli", "--", "requests", "list", "--shop", SHOP],
      { env },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining("ENCRYPTION_KEY is missing") });
  });
});
