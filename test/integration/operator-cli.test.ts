import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { runCli, USAGE } from "../../app/cli/commands";
import { getDb } from "../../app/db.server";
import { createWorker } from "../../app/jobs/worker.server";
import { getKeyring } from "../../app/keys.server";
import { logger } from "../../app/logger.server";
import { action } from "../../app/routes/webhooks.compliance";
import { recordInstall } from "../../app/services/shops.server";
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

async function receive(topic: "customers/data_request" | "customers/redact" | "shop/redact", shop = SHOP) {
  const response = await action({
    request: signedWebhook({ topic, shop, body: samplePayload(topic, shop) }),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
}

/** A data request with its own id, so it is not deduplicated against an earlier one. */
async function receiveNewDataRequest(id: number, shop = SHOP) {
  const body = { ...samplePayload("customers/data_request", shop), data_request: { id } };
  const response = await action({
    request: signedWebhook({ topic: "customers/data_request", shop, body }),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
}

const drainWorker = () =>
  createWorker({
    db: getDb(),
    keyring: getKeyring(),
    logger,
    exports: testExportStorage(),
    admin: noAdminApi,
  }).drain();

/** The head `audit verify` prints for the operator to save: `Head: <seq>:<hash>`. */
async function savedHead(shop = SHOP): Promise<string> {
  const { code, stdout } = await run("audit", "verify", "--shop", shop);
  expect(code).toBe(0);
  return /^Head: (\d+:[0-9a-f]{64}) /m.exec(stdout)![1]!;
}

/** A shop with a few audit events: two requests received, one erased by the worker. */
/** Four events: a data request, and another customer's erasure (received, started, completed). */
async function shopWithHistory(shop = SHOP) {
  await receive("customers/data_request", shop);
  const redact = {
    ...samplePayload("customers/redact", shop),
    customer: { id: 5, email: "other@example.com" },
  };
  const response = await action({
    request: signedWebhook({ topic: "customers/redact", shop, body: redact }),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
  await drainWorker();
}

/** An insider with write access to the database, but not the key, deletes rows. */
const deleteEventsSql = (where: string) =>
  getDb().$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE ${where}`);

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
    await getDb()
      .$executeRaw`UPDATE "AuditEvent" SET data = '{"from":"approved","to":"denied"}' WHERE id = ${victim!.id}`;

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

  it("audit verify prints the head, which is the newest event's seq and hash", async () => {
    await shopWithHistory();

    const head = await savedHead();

    const newest = await getDb().auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(head).toBe(`${newest.seq}:${newest.hash}`);
  });

  // Issue 8, finding 13: deleting the newest events left a valid (shorter) chain that verify accepted.
  it("GIVEN a saved head WHEN the newest events are deleted in SQL THEN verify accepts the prefix, and verify --since names what is missing", async () => {
    await shopWithHistory();
    const anchor = await savedHead();
    await deleteEventsSql(`seq > 2`);

    const alone = await run("audit", "verify", "--shop", SHOP);
    const anchored = await run("audit", "verify", "--shop", SHOP, "--since", anchor);

    expect(alone).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 2 events verified/) });
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toContain(
      `Audit chain of ${SHOP} FAILS its anchor: the chain ends at event 2, but the anchor names event 4: ` +
        "the newest 2 events were removed. 2 events verified.",
    );
  });

  it("GIVEN a saved head WHEN every event of the shop is deleted in SQL THEN verify --since reports the emptied chain", async () => {
    await shopWithHistory();
    await shopWithHistory(OTHER_SHOP);
    const anchor = await savedHead();
    const shop = await getDb().shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await deleteEventsSql(`"shopId" = '${shop.id}'`);

    const result = await run("audit", "verify", "--shop", SHOP, "--since", anchor);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAILS its anchor: the chain is empty, but the anchor 4:[0-9a-f]{64} names event 4/,
    );
    expect((await run("audit", "verify", "--shop", OTHER_SHOP)).code).toBe(0);
  });

  it("GIVEN a saved head WHEN the newest events are deleted and new ones recorded since THEN verify --since names the replaced event", async () => {
    await shopWithHistory();
    const anchor = await savedHead();
    await deleteEventsSql(`seq > 2`);
    await receiveNewDataRequest(101);
    await receiveNewDataRequest(102);

    const result = await run("audit", "verify", "--shop", SHOP, "--since", anchor);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/BROKEN at event \S+ \(seq 4\): its hash differs from the anchor 4:/);
  });

  it("GIVEN a saved head WHEN only new events were recorded since THEN verify --since passes and prints the new head", async () => {
    await receiveNewDataRequest(101);
    const anchor = await savedHead();
    await shopWithHistory();

    const result = await run("audit", "verify", "--shop", SHOP, "--since", anchor);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`It still holds the anchored event 1 (${anchor}).`);
    expect(result.stdout).toMatch(/^Head: 5:[0-9a-f]{64} /m);
  });

  it("audit anchor prints only the verified head, and nothing on stdout for a broken chain", async () => {
    await shopWithHistory();
    const anchored = await run("audit", "anchor", "--shop", SHOP);
    expect(anchored).toEqual({ code: 0, stdout: await savedHead(), stderr: "" });

    await getDb().$executeRawUnsafe(`UPDATE "AuditEvent" SET actor = 'operator:someone' WHERE seq = 2`);
    const broken = await run("audit", "anchor", "--shop", SHOP);

    expect(broken).toMatchObject({
      code: 1,
      stdout: "",
      stderr: expect.stringMatching(/BROKEN at event .* \(seq 2\)/),
    });
  });

  it("GIVEN a shop purged by shop/redact WHEN verified, with or without an anchor THEN it says so with exit 3, not tampering", async () => {
    await shopWithHistory();
    const anchor = await savedHead();
    await receive("shop/redact");
    await drainWorker();

    for (const argv of [[], ["--since", anchor]]) {
      const result = await run("audit", "verify", "--shop", SHOP, ...argv);
      expect(result.code).toBe(3);
      expect(result.stdout).toMatch(
        new RegExp(
          `^shop/redact deleted the data of ${SHOP} on \\S+, including its 4 audit events, as Shopify requires`,
        ),
      );
      expect(result.stdout).not.toMatch(/BROKEN|FAILS/);
    }
    expect(await run("audit", "anchor", "--shop", SHOP)).toMatchObject({ code: 3, stdout: "" });
    expect(await run("audit", "export", "--shop", SHOP)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("shop/redact deleted the data"),
    });
    expect(await run("audit", "verify", "--shop", OTHER_SHOP)).toMatchObject({
      code: 1,
      stderr: `No shop ${OTHER_SHOP} in this database`,
    });
  });

  it("GIVEN a shop purged and installed again WHEN verified against an anchor of the deleted chain THEN it fails and explains the restart", async () => {
    await shopWithHistory();
    const anchor = await savedHead();
    await receive("shop/redact");
    await drainWorker();
    // Installed again (afterAuth), so deliveries for the shop are recorded again.
    await recordInstall(getDb(), { domain: SHOP, scopes: null });
    await receive("customers/data_request");

    const result = await run("audit", "verify", "--shop", SHOP, "--since", anchor);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAILS its anchor: the chain ends at event 1, but the anchor names event 4/,
    );
    expect(result.stdout).toMatch(/Note: shop\/redact purged .* its chain restarted at event 1/);
  });

  it("audit export starts with the chain head, then writes one JSON object per line, in chain order, up to that head", async () => {
    await receive("customers/data_request");
    await receive("customers/redact");

    const { code, stdout } = await run("audit", "export", "--shop", SHOP);

    expect(code).toBe(0);
    const [header, ...events] = stdout.split("\n").map((line) => JSON.parse(line));
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(events[1].prevHash).toBe(events[0].hash);
    expect(header).toEqual({
      chainHead: { seq: 2, hash: events[1].hash, anchor: `2:${events[1].hash}` },
      shop: SHOP,
      exportedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      filter: {},
    });
    expect((await run("audit", "verify", "--shop", SHOP, "--since", header.chainHead.anchor)).code).toBe(0);
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
    [["audit", "verify", "--shop", SHOP, "--since"]],
    [["audit", "verify", "--shop", SHOP, "--since", "42"]],
    [["audit", "verify", "--shop", SHOP, "--since", "42:not-a-hash"]],
    [["audit", "verify", "--shop", SHOP, "--since", `42:${"a".repeat(63)}`]],
    [["audit", "verify", "--shop", SHOP, "--since", `0:${"a".repeat(64)}`]],
    [["audit", "anchor"]],
    [["audit", "anchor", "--shop", SHOP, "--since", `1:${"a".repeat(64)}`]],
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

  it('GIVEN `audit anchor > anchor.txt` run as a process WHEN the newest event is deleted THEN `audit verify --since "$(cat anchor.txt)"` exits 1', async () => {
    await shopWithHistory();
    const anchorFile = path.join(mkdtempSync(path.join(tmpdir(), "anchor-")), "anchor.txt");
    const shell = (script: string) =>
      promisify(execFile)("sh", ["-c", script], {
        env: { ...process.env, SHOP, ANCHOR_FILE: anchorFile },
      }).then(
        (done) => ({ code: 0, ...done }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

    const anchored = await shell(`npm run -s cli -- audit anchor --shop "$SHOP" > "$ANCHOR_FILE"`);
    await deleteEventsSql("seq = 4");
    const verified = await shell(
      `npm run -s cli -- audit verify --shop "$SHOP" --since "$(cat "$ANCHOR_FILE")"`,
    );

    expect(anchored.code).toBe(0);
    expect(verified).toMatchObject({
      code: 1,
      stdout: expect.stringContaining("the newest event was removed"),
    });
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
