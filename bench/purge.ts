import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { API_VERSION } from "../app/api-version";
import { startCluster, type PgCluster } from "../scripts/lib/pg-cluster";
import { TEST_API_SECRET } from "../test/helpers/constants";
import { startServer, startWorker, type RunningProcess } from "../test/helpers/processes";
import { fireAtRate, fireWebhooks, percentile, type LoadResult } from "./load";
import { seedBigShop } from "./purge-seed";

/**
 * npm run bench:purge [-- --db sqlite|postgresql|both --requests 100000 --events 1000000 --rate 200
 *                        --worker in-process|separate --shared-buffers 128MB]
 *
 * The built app (one instance, its worker in-process, or with `--worker separate` in a process of
 * its own as README "Running at scale" deploys it on PostgreSQL) with one big shop: `requests`
 * requests, subjects and deliveries and `events` audit events, seeded in SQL. Shopify sends
 * shop/redact for it; the purge runs in chunks while signed webhooks for four other shops keep
 * arriving, `rate` a second between them (sent when due, answered or not). `seconds` is from
 * sending shop/redact until the shop's last row is gone; other_shops_p99_ms is the 99th percentile
 * latency of the other shops' deliveries sent meanwhile, and baseline_p99_ms the same for the 5 s
 * before shop/redact. `--rate 0` sends instead from 20 connections as fast as the server answers (a
 * saturating closed loop, where latency is 20 divided by throughput: whatever the purge takes from
 * the machine shows up as latency). PostgreSQL runs on a private cluster with its default
 * durability (fsync on) and the project's settings (scripts/lib/pg-cluster.ts), shared_buffers
 * included unless `--shared-buffers` gives it (128MB is PostgreSQL's own default).
 */
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REQUESTS = Number(option("requests") ?? 100_000);
const EVENTS = Number(option("events") ?? 1_000_000);
const which = option("db") ?? "both";
const RATE = Number(option("rate") ?? 200);
const WORKER = option("worker") ?? "in-process";
const SHARED_BUFFERS = option("shared-buffers");
if (WORKER !== "in-process" && WORKER !== "separate")
  throw new Error(`--worker is in-process or separate, not ${WORKER}`);
const databases = which === "both" ? (["sqlite", "postgresql"] as const) : [which];
const BIG_SHOP = "big-purge.myshopify.com";
const OTHER_SHOPS = ["other-0", "other-1", "other-2", "other-3"].map((name) => `${name}.myshopify.com`);
const log = (line: string) => process.stderr.write(`${line}\n`);

if (!existsSync("build/server/index.js")) {
  log("The benchmark runs against the built app: npm run build first.");
  process.exit(2);
}

/** Answers one query on the app's database from outside the app. */
async function observer(databaseUrl: string) {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true });
    return {
      one: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined,
      close: async () => db.close(),
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    one: async <T>(sql: string, ...params: unknown[]) =>
      (
        await client.query(
          sql.replace(/\?/g, (_, i: number) => `$${sql.slice(0, i).split("?").length}`),
          params,
        )
      ).rows[0] as T | undefined,
    close: () => client.end(),
  };
}

async function benchPurge(db: "sqlite" | "postgresql") {
  let cluster: PgCluster | null = null;
  const overrides: Record<string, string> = { LOG_LEVEL: "warn" };
  if (db === "postgresql") {
    cluster = await startCluster(SHARED_BUFFERS ? { settings: { shared_buffers: SHARED_BUFFERS } } : {});
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE "purge"`);
    await admin.end();
    overrides.DATABASE_URL = cluster.url("purge");
  }
  if (WORKER === "separate") overrides.WORKER_MODE = "separate";
  const server = await startServer(overrides);
  const databaseUrl = server.env.DATABASE_URL!;
  let worker: RunningProcess | null = null;
  if (WORKER === "separate") worker = startWorker(server.env);
  const watch = await observer(databaseUrl);
  try {
    log(`purge (${db}): seeding ${REQUESTS} requests and ${EVENTS} audit events…`);
    const seedStarted = performance.now();
    const shopId = await seedBigShop(databaseUrl, BIG_SHOP, { requests: REQUESTS, events: EVENTS });
    log(`purge (${db}): seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const target = (shop: string) => ({
      url: `${server.baseUrl}/webhooks/compliance`,
      secret: server.env.SHOPIFY_API_SECRET!,
      shop,
      apiVersion: API_VERSION,
    });
    // Warm-up: the other shops exist and the server's paths are hot before anything is measured.
    await Promise.all(
      OTHER_SHOPS.map((shop, s) =>
        fireWebhooks({
          ...target(shop),
          connections: 5,
          seconds: 2,
          idOffset: 1_000_000_000 + s * 1_000_000,
        }),
      ),
    );

    const otherShopsLoad = (seconds: number, idOffset: number, stop?: AbortSignal) =>
      Promise.all(
        OTHER_SHOPS.map((shop, s) =>
          RATE > 0
            ? fireAtRate({
                ...target(shop),
                perSecond: RATE / OTHER_SHOPS.length,
                seconds,
                idOffset: idOffset + s * 10_000_000,
                stop,
              })
            : fireWebhooks({
                ...target(shop),
                connections: 5,
                seconds,
                idOffset: idOffset + s * 10_000_000,
                stop,
              }),
        ),
      );
    const latenciesOf = (results: LoadResult[]) =>
      results.flatMap((result) => result.latenciesMs).sort((a, b) => a - b);
    const baseline = latenciesOf(await otherShopsLoad(5, 500_000_000));

    const stop = new AbortController();
    const started = performance.now();
    const load = otherShopsLoad(600, 0, stop.signal);
    const body = JSON.stringify({ shop_id: 1, shop_domain: BIG_SHOP });
    const acked = await fetch(`${server.baseUrl}/webhooks/compliance`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "shop/redact",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_API_SECRET).update(body).digest("base64"),
        "X-Shopify-Shop-Domain": BIG_SHOP,
        "X-Shopify-API-Version": API_VERSION,
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
      },
      body,
    });
    if (!acked.ok) throw new Error(`shop/redact answered ${acked.status}: ${await acked.text()}`);
    const deadline = Date.now() + 600_000;
    for (;;) {
      const left = await watch.one<{ n: number }>(`SELECT count(*) AS n FROM "Shop" WHERE id = ?`, shopId);
      if (Number(left?.n) === 0) break;
      if (Date.now() > deadline) throw new Error("the purge did not finish in 10 minutes");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    stop.abort();
    const results: LoadResult[] = await load;
    const latencies = latenciesOf(results);
    const failed = results.reduce((sum, result) => sum + result.failed, 0);
    const receipt = await watch.one<{ removedCounts: string }>(
      `SELECT "removedCounts" FROM "ShopRedactionReceipt" WHERE "shopDomain" = ?`,
      BIG_SHOP,
    );
    const counts = JSON.parse(receipt!.removedCounts) as { requests: number; auditEvents: number };
    const sharedBuffers =
      db === "postgresql"
        ? ` shared_buffers=${(await watch.one<{ shared_buffers: string }>("SHOW shared_buffers"))!.shared_buffers}`
        : "";
    log(
      `purge (${db}): other shops' deliveries during the purge: ${latencies.length} sent, ${failed} failed, ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms; ` +
        `before it: ${baseline.length} sent, p50 ${percentile(baseline, 50).toFixed(1)} ms`,
    );
    console.log(
      `purge: requests=${counts.requests} audit_events=${counts.auditEvents} seconds=${seconds.toFixed(2)} ` +
        `other_shops_p99_ms=${percentile(latencies, 99).toFixed(1)} ` +
        `other_shops_per_s=${RATE > 0 ? RATE : "saturating"} baseline_p99_ms=${percentile(baseline, 99).toFixed(1)} db=${db}${sharedBuffers}${WORKER === "separate" ? " worker=separate" : ""}`,
    );
  } finally {
    await watch.close();
    await worker?.stop();
    await server.stop();
    cluster?.stop();
  }
}

for (const db of databases) {
  if (db !== "sqlite" && db !== "postgresql")
    throw new Error(`--db is sqlite, postgresql or both, not ${db}`);
  await benchPurge(db);
}
