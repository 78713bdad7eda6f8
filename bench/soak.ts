import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { API_VERSION } from "../app/api-version";
import { createDb } from "../app/db.server";
import { createKeyring } from "../app/security/keyring";
import { checkShopChain } from "../app/services/audit-log.server";
import { approveRequest, createRequest } from "../app/services/requests.server";
import { applyMigrations } from "../server/migrate";
import { startCluster, THROWAWAY_SETTINGS } from "../scripts/lib/pg-cluster";
import { createAdminApiSimulator } from "../simulator/admin-api";
import { startSimulatorServer } from "../simulator/http-server";
import { seedStore } from "../simulator/store";
import { TEST_API_SECRET, TEST_ENCRYPTION_KEY } from "../test/helpers/constants";
import {
  freePort,
  processEnv,
  startProcess,
  startWorker,
  waitFor,
  type RunningProcess,
} from "../test/helpers/processes";

/**
 * npm run soak:pg [-- --shops 100 --webhooks 2000 --concurrency 40]
 *
 * Two app instances and two workers (separate processes, the built app) on one PostgreSQL. Each
 * shop has approved CCPA opt-outs waiting (jobs that call Shopify's dataSaleOptOut on the
 * simulator, which counts every mutation and every change it made); then a burst of signed
 * compliance webhooks (customers/data_request and customers/redact, the latter queueing jobs)
 * across all shops, sent alternately to both instances. When 40% of the burst is sent, one
 * instance and one worker are killed with SIGKILL and started again 2 s later. A delivery that is
 * not answered 2xx is sent again with the same webhook id to the other instance, as Shopify
 * retries. Then, once the queue is drained:
 *   acked       deliveries answered 2xx          stored      of those, recorded in WebhookDelivery
 *   duplicates  requests beyond one per customer lost        acked but not recorded
 *   stuck       requests approved/in progress or jobs queued/running once the queue stops moving
 *   jobs_done   request jobs finished            effects_doubled  a Shopify change made twice, or a
 *                                                             request completed twice
 * and `audit verify` for every shop. One line on stdout; progress and the /metrics sample on stderr.
 * Exit 1 when any check fails.
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SHOPS = arg("shops", 100);
const WEBHOOKS = arg("webhooks", 2000);
const CONCURRENCY = arg("concurrency", 40);
const OPT_OUTS_PER_SHOP = 3;
const LEASE_SECONDS = 5;
const METRICS_TOKEN = "soak-metrics-token-0123456789abcdef";
const log = (line: string) => process.stderr.write(`${line}\n`);

if (!existsSync("build/server/index.js")) {
  log("The soak runs against the built app: npm run build first.");
  process.exit(2);
}

const domains = Array.from({ length: SHOPS }, (_, s) => `soak-${String(s).padStart(3, "0")}.myshopify.com`);
const tokenOf = (shop: string) => `shpat_soak_${shop.slice(5, 8)}`;

// The database: a throwaway cluster (fsync off: the faults here are the app's, not the disk's).
const cluster = await startCluster({ settings: { ...THROWAWAY_SETTINGS, max_connections: 300 } });
const admin = new pg.Client({ connectionString: cluster.url("postgres") });
await admin.connect();
await admin.query(`CREATE DATABASE "soak"`);
await admin.end();
const databaseUrl = cluster.url("soak");
const children: RunningProcess[] = [];
let simulatorServer: Awaited<ReturnType<typeof startSimulatorServer>> | null = null;

try {
  log(`soak: migrating ${databaseUrl.replace(/:[^:@]*@/, ":…@")}`);
  await applyMigrations(databaseUrl, { env: processEnv() });

  // Shopify: each shop with customers who asked not to have their data sold.
  const stores = domains.map((shop, s) => seedStore({ shop, seed: s + 1, customers: OPT_OUTS_PER_SHOP }));
  const simulator = createAdminApiSimulator({
    stores,
    accessTokens: Object.fromEntries(domains.map((shop) => [shop, tokenOf(shop)])),
  });
  simulatorServer = await startSimulatorServer(simulator);

  // The app's side: the shops installed (offline sessions) and the opt-outs approved, jobs queued.
  const db = createDb(databaseUrl, { poolSize: 10 });
  const keyring = createKeyring(TEST_ENCRYPTION_KEY, []);
  for (const store of stores) {
    const shop = await db.shop.create({ data: { domain: store.shop } });
    await db.session.create({
      data: {
        id: `offline_${store.shop}`,
        shop: store.shop,
        state: "",
        isOnline: false,
        accessToken: tokenOf(store.shop),
      },
    });
    for (const customer of store.customers.values()) {
      const { request } = await db.$transaction((tx) =>
        createRequest(
          tx,
          keyring,
          {
            shopId: shop.id,
            type: "sale_opt_out",
            source: "merchant",
            regime: "ccpa",
            verified: true,
            receivedAt: new Date(),
            customerId: String(customer.id),
            email: customer.email,
            phone: null,
          },
          "staff:1",
        ),
      );
      await db.$transaction((tx) =>
        approveRequest(tx, keyring, {
          shopId: shop.id,
          requestId: request.id,
          actor: "staff:1",
          now: new Date(),
        }),
      );
    }
  }
  log(`soak: ${SHOPS} shops seeded, ${SHOPS * OPT_OUTS_PER_SHOP} opt-out jobs queued`);

  // The processes: node itself with tsx as a loader, so SIGKILL reaches the app, not a wrapper.
  const baseEnv = {
    NODE_ENV: "development",
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
    SHOPIFY_ADMIN_API_ORIGIN: simulatorServer.url,
    DATABASE_URL: databaseUrl,
    WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
    METRICS_TOKEN,
    LOG_LEVEL: "warn",
  };
  const ports = [await freePort(), await freePort()];
  const exportDir = mkdtempSync(path.join(tmpdir(), "privacy-desk-soak-exports-"));
  const startInstance = async (i: number) => {
    const env = processEnv({
      ...baseEnv,
      PORT: String(ports[i]),
      WORKER_MODE: "separate",
      EXPORT_DIR: exportDir,
    });
    const child = startProcess(process.execPath, ["--import", "tsx", "server/main.ts"], env);
    children.push(child);
    const outcome = await waitFor(
      async () => {
        if (child.child.exitCode !== null) return "exited";
        return (await fetch(`http://127.0.0.1:${ports[i]}/healthz`)).ok && "listening";
      },
      60_000,
      `instance ${i}`,
    ).catch((error: Error) => error.message);
    if (outcome !== "listening") throw new Error(`instance ${i}: ${outcome}\n${child.output()}`);
    return child;
  };
  const startCountedWorker = () => {
    const child = startWorker(processEnv({ ...baseEnv, EXPORT_DIR: exportDir }));
    children.push(child);
    return child;
  };
  const instances = [await startInstance(0), await startInstance(1)];
  const workers = [startCountedWorker(), startCountedWorker()];
  log(`soak: 2 instances (ports ${ports.join(", ")}) and 2 workers started`);

  // The burst: each webhook a new customer; half access requests, half redactions (jobs).
  interface Delivery {
    webhookId: string;
    shop: string;
    topic: string;
    body: string;
  }
  const deliveries: Delivery[] = Array.from({ length: WEBHOOKS }, (_, n) => {
    const shop = domains[n % SHOPS]!;
    const customer = { id: 5_000_000 + n, email: `soak${n}@example.com`, phone: null };
    const access = n % 2 === 0;
    const payload = access
      ? {
          shop_id: 1000 + (n % SHOPS),
          shop_domain: shop,
          orders_requested: [],
          customer,
          data_request: { id: 9_000_000 + n },
        }
      : { shop_id: 1000 + (n % SHOPS), shop_domain: shop, customer, orders_to_redact: [] };
    return {
      webhookId: randomUUID(),
      shop,
      topic: access ? "customers/data_request" : "customers/redact",
      body: JSON.stringify(payload),
    };
  });
  const send = (delivery: Delivery, port: number) =>
    new Promise<boolean>((resolve) => {
      const request = httpRequest(
        `http://127.0.0.1:${port}/webhooks/compliance`,
        {
          method: "POST",
          agent: false,
          timeout: 30_000,
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_API_SECRET)
              .update(delivery.body)
              .digest("base64"),
            "X-Shopify-Shop-Domain": delivery.shop,
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Webhook-Id": delivery.webhookId,
            "X-Shopify-Triggered-At": new Date().toISOString(),
          },
        },
        (response) => {
          response.resume();
          response.once("end", () => resolve(response.statusCode! >= 200 && response.statusCode! < 300));
          response.once("error", () => resolve(false));
        },
      );
      request.once("timeout", () => request.destroy());
      request.once("error", () => resolve(false));
      request.end(delivery.body);
    });

  const acked = new Set<string>();
  const ackedBy = [0, 0];
  let retries = 0;
  let next = 0;
  let killed: Promise<void> | null = null;
  const killAt = Math.floor(WEBHOOKS * 0.4);
  const killAndRestart = async () => {
    log(
      `soak: kill -9 instance 0 (pid ${instances[0]!.child.pid}) and worker 0 (pid ${workers[0]!.child.pid})`,
    );
    instances[0]!.child.kill("SIGKILL");
    workers[0]!.child.kill("SIGKILL");
    await Promise.all([instances[0]!.stop(), workers[0]!.stop()]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    workers[0] = startCountedWorker();
    instances[0] = await startInstance(0);
    log("soak: instance 0 and worker 0 restarted");
  };
  const burstStarted = performance.now();
  async function sender() {
    while (next < deliveries.length) {
      const n = next++;
      if (n === killAt) killed = killAndRestart();
      const delivery = deliveries[n]!;
      // As Shopify: a delivery not acknowledged is sent again, here to the other instance.
      for (let attempt = 0; attempt < 20; attempt += 1) {
        // Pairs alternate (0, 0, 1, 1, …) so each instance gets both topics; a resend goes to the other.
        const instance = ((n >> 1) + attempt) % 2;
        if (await send(delivery, ports[instance]!)) {
          acked.add(delivery.webhookId);
          ackedBy[instance]! += 1;
          break;
        }
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => sender()));
  await killed;
  const burstSeconds = (performance.now() - burstStarted) / 1000;
  log(
    `soak: burst of ${WEBHOOKS} sent in ${burstSeconds.toFixed(1)} s, ${acked.size} acked (${ackedBy.join(" + ")} by the two instances), ${retries} resent`,
  );

  // Drain: every request job finished, nothing left approved or in progress.
  const count = async (sql: string, ...params: unknown[]) =>
    Number(((await db.$queryRawUnsafe(sql, ...params)) as { n: bigint | number }[])[0]!.n);
  const unfinished = () =>
    count(
      `SELECT (SELECT count(*) FROM "PrivacyRequest" WHERE status IN ('approved', 'in_progress')) +
              (SELECT count(*) FROM "Job" WHERE kind = 'execute_request' AND status IN ('queued', 'running')) AS n`,
    );
  // Stuck means no progress: wait while the count keeps falling (a loaded machine is slow, not
  // stuck), and stop once it is zero or has not moved for three leases plus the watchdog's turn.
  let left = await unfinished();
  let movedAt = Date.now();
  while (left > 0 && Date.now() - movedAt < 3 * LEASE_SECONDS * 1000 + 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await unfinished();
    if (now !== left) movedAt = Date.now();
    left = now;
  }

  const webhookIds = deliveries.map((delivery) => delivery.webhookId);
  const storedIds = new Set(
    (
      (await db.webhookDelivery.findMany({
        where: { webhookId: { in: webhookIds } },
        select: { webhookId: true },
      })) as { webhookId: string }[]
    ).map((row) => row.webhookId),
  );
  const stored = [...acked].filter((id) => storedIds.has(id)).length;
  const lost = acked.size - stored;
  const duplicates = await count(
    `SELECT coalesce(sum(n - 1), 0) AS n FROM (SELECT count(*) AS n FROM "PrivacyRequest"
       GROUP BY "shopId", "customerId", type HAVING count(*) > 1) AS repeated`,
  );
  const stuck = await unfinished();
  const jobsDone = await count(
    `SELECT count(*) AS n FROM "Job" WHERE kind = 'execute_request' AND status = 'done'`,
  );
  const jobsFailed = await count(
    `SELECT count(*) AS n FROM "Job" WHERE kind = 'execute_request' AND status = 'failed'`,
  );
  const jobsTakenOver = await count(
    `SELECT count(*) AS n FROM "Job" WHERE kind = 'execute_request' AND attempts > 1`,
  );
  const completedTwice = await count(
    `SELECT count(*) AS n FROM (SELECT "requestId" FROM "AuditEvent" WHERE action = 'request.complete'
       GROUP BY "requestId" HAVING count(*) > 1) AS twice`,
  );
  const mutations = [...simulator.mutations.values()];
  const effectsDoubled = mutations.filter((m) => m.effects > 1).length + completedTwice;
  const optOutsApplied = mutations.filter((m) => m.effects === 1).length;
  const repeatedCalls = mutations.filter((m) => m.calls > 1).length;

  let auditFailures = 0;
  for (const shop of domains) {
    const check = await checkShopChain(db, keyring, shop);
    if (check.status !== "checked" || !check.verdict.ok) {
      auditFailures += 1;
      log(`soak: audit verify failed for ${shop}: ${JSON.stringify(check)}`);
    }
  }
  log(
    `soak: audit verify clean for ${SHOPS - auditFailures} of ${SHOPS} shops; opt-outs applied in Shopify ` +
      `${optOutsApplied} of ${SHOPS * OPT_OUTS_PER_SHOP} (mutations called more than once: ${repeatedCalls}); ` +
      `request jobs failed ${jobsFailed}, run more than once (a lease taken over) ${jobsTakenOver}`,
  );

  const metrics = await fetch(`http://127.0.0.1:${ports[1]}/metrics`, {
    headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
  }).then((response) => response.text());
  const metricsFile = path.join(mkdtempSync(path.join(tmpdir(), "privacy-desk-soak-")), "metrics.txt");
  writeFileSync(metricsFile, metrics);
  log(`soak: /metrics of instance 1 after the soak saved to ${metricsFile}`);
  await db.$disconnect();

  console.log(
    `soak: acked=${acked.size} stored=${stored} duplicates=${duplicates} lost=${lost} stuck=${stuck} ` +
      `jobs_done=${jobsDone} effects_doubled=${effectsDoubled}`,
  );
  const ok =
    acked.size === WEBHOOKS &&
    duplicates === 0 &&
    lost === 0 &&
    stuck === 0 &&
    effectsDoubled === 0 &&
    auditFailures === 0 &&
    optOutsApplied === SHOPS * OPT_OUTS_PER_SHOP;
  process.exitCode = ok ? 0 : 1;
} finally {
  await Promise.all(children.map((child) => child.stop()));
  await simulatorServer?.close();
  cluster.stop();
}
