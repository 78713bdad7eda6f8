import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/db.server";
import { createKeyring } from "../../app/security/keyring";
import { createAdminApiSimulator } from "../../simulator/admin-api";
import { startSimulatorServer } from "../../simulator/http-server";
import { addCustomer, seedStore } from "../../simulator/store";
import { TEST_ENCRYPTION_KEY } from "../helpers/constants";
import { migrateSqliteFile } from "../helpers/migrate";
import { processEnv, startWorker, waitFor } from "../helpers/processes";
import { approvedAccessRequest } from "../helpers/requests";

const SHOP = "crash-store.myshopify.com";
const TOKEN = "shpat_crash_test";
const LEASE_SECONDS = 8;

/**
 * The export and the completion of an access request are one transaction. This kills the worker
 * process (SIGKILL: no cleanup runs) after the export file is on disk and before that transaction
 * commits, restarts it, and checks that the retry left exactly one export and one export.created.
 */
describe("kill -9 between writing an export and completing the request", () => {
  let simulatorServer: Awaited<ReturnType<typeof startSimulatorServer>>;
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-crash-"));
  const databaseFile = path.join(dir, "app.sqlite");
  const exportDir = path.join(dir, "exports");

  beforeAll(async () => {
    const store = seedStore({ shop: SHOP, customers: 1 });
    const customer = addCustomer(store, { orders: 30, email: "crash@example.com" });
    const simulator = createAdminApiSimulator({ stores: [store], accessTokens: { [SHOP]: TOKEN } });
    simulatorServer = await startSimulatorServer(simulator);
    migrateSqliteFile(databaseFile);
    const db = createDb(`file:${databaseFile}`);
    const keyring = createKeyring(TEST_ENCRYPTION_KEY, []);
    const shop = await db.shop.create({ data: { domain: SHOP } });
    // The offline session the worker's Admin client uses (what token exchange stores).
    await db.session.create({
      data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN },
    });
    await approvedAccessRequest(db, keyring, {
      shopId: shop.id,
      customerId: String(customer.id),
      email: "crash@example.com",
    });
    await db.$disconnect();
  }, 60_000);

  afterAll(async () => {
    await simulatorServer?.close();
  });

  it("leaves one export file, one ExportFile row and one export.created event after the restart", async () => {
    const env = processEnv({
      NODE_ENV: "development",
      SHOPIFY_APP_URL: "http://127.0.0.1:1",
      SHOPIFY_ADMIN_API_ORIGIN: simulatorServer.url,
      DATABASE_URL: `file:${databaseFile}`,
      EXPORT_DIR: exportDir,
      WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
      LOG_LEVEL: "info",
    });
    const observer = new Database(databaseFile);
    const one = <T>(sql: string) => observer.prepare(sql).get() as T;
    const { id: requestId, shopId } = one<{ id: string; shopId: string }>(
      `SELECT id, shopId FROM "PrivacyRequest"`,
    );
    const shopFolder = path.join(exportDir, shopId);
    const exportFiles = () =>
      existsSync(shopFolder) ? readdirSync(shopFolder).filter((name) => name.endsWith(".pdx")) : [];

    // GIVEN the worker is building the export, and the database is held by another writer from
    // the moment the worker starts spooling orders, so the completion cannot commit
    // One node process (tsx as a loader, not the tsx CLI, which runs the script in a child), so
    // SIGKILL reaches the worker itself.
    const first = startWorker(env);
    await waitFor(
      async () =>
        existsSync(path.join(exportDir, "spool")) && readdirSync(path.join(exportDir, "spool")).length > 0,
      30_000,
      "the worker to start spooling",
    );
    observer.exec("BEGIN IMMEDIATE");
    // WHEN the export file is complete on disk, and the worker is waiting to record it, it is killed
    await waitFor(async () => exportFiles().length === 1, 30_000, "the export file to be written");
    first.child.kill("SIGKILL");
    await first.stop();
    observer.exec("ROLLBACK");

    const afterCrash = {
      files: exportFiles().length,
      rows: one<{ n: number }>(`SELECT count(*) AS n FROM "ExportFile"`).n,
      status: one<{ status: string }>(`SELECT status FROM "PrivacyRequest"`).status,
    };
    expect(afterCrash).toEqual({ files: 1, rows: 0, status: "in_progress" });

    // AND a new worker takes the job over once the dead one's lease has run out
    const second = startWorker(env);
    try {
      await waitFor(
        async () => one<{ status: string }>(`SELECT status FROM "PrivacyRequest"`).status === "completed",
        LEASE_SECONDS * 1000 + 30_000,
        "the restarted worker to complete the request",
      );
    } finally {
      expect(await second.stop()).toBe(0);
    }

    // THEN there is exactly one export: one file (the unrecorded one was removed), one row, one event
    const rows = observer.prepare(`SELECT id, path FROM "ExportFile"`).all() as {
      id: string;
      path: string;
    }[];
    const created = (
      observer.prepare(`SELECT action FROM "AuditEvent" WHERE requestId = ? ORDER BY seq`).all(requestId) as {
        action: string;
      }[]
    ).map((event) => event.action);
    const after = {
      files: exportFiles(),
      rows: rows.length,
      exportCreated: created.filter((a) => a === "export.created").length,
    };
    observer.close();
    expect(after).toEqual({ files: [path.basename(rows[0]!.path)], rows: 1, exportCreated: 1 });
    expect(created).toEqual([
      "request.received",
      "request.approve",
      "request.start",
      "export.created",
      "request.complete",
    ]);
    expect(second.output()).toMatch(/"prismaClients":1\b/);
    console.info(
      `kill -9 between export and completion: after the crash files=${afterCrash.files} rows=${afterCrash.rows} ` +
        `status=${afterCrash.status}; after the restart files=${after.files.length} rows=${after.rows} export.created=${after.exportCreated}`,
    );
  }, 120_000);
});
