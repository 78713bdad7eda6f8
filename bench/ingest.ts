import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { API_VERSION } from "../app/api-version";
import { startCluster, type PgCluster } from "../scripts/lib/pg-cluster";
import { freePort, processEnv, startProcess, startServer, waitFor } from "../test/helpers/processes";
import {
  fireBurst,
  fireWebhooks,
  percentile,
  processTreeCpuSeconds,
  type LoadResult,
  type LoadTarget,
} from "./load";

// npm run bench:ingest [-- --seconds 10 --connections 50 --rounds 3]
// npm run bench:ingest -- --burst 300        (npm run bench:burst)
// npm run bench:ingest -- --instances 2 --db postgresql   (several instances on one PostgreSQL)
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const database = process.argv.includes("--db") ? process.argv[process.argv.indexOf("--db") + 1] : "sqlite";
if (database !== "sqlite" && database !== "postgresql") throw new Error(`--db is sqlite or postgresql`);
const instances = arg("instances", 1);
if (instances > 1 && database === "sqlite")
  throw new Error("Several instances share one database only on PostgreSQL: add --db postgresql");
const seconds = arg("seconds", 10);
const connections = arg("connections", 50);
const rounds = arg("rounds", 3);
const burst = arg("burst", 0);
const warmupSeconds = 2;
const SHOP = "bench-store.myshopify.com";
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 2) : "nan");

/** One server, or several instances of it on one database, the load split evenly between them. */
type Server = {
  targets: LoadTarget[];
  pids: number[];
  stored: () => Promise<number>;
  stop: () => Promise<unknown>;
};

async function startPrivacyDesk(): Promise<Server> {
  if (!existsSync("build/server/index.js")) execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  if (database === "sqlite") {
    const server = await startServer({ LOG_LEVEL: "info" });
    const db = new Database(server.env.DATABASE_URL!.replace(/^file:/, ""), { readonly: true });
    return {
      targets: [targetOf(server)],
      pids: [server.child.pid!],
      stored: async () => (db.prepare(`SELECT count(*) AS n FROM "PrivacyRequest"`).get() as { n: number }).n,
      stop: async () => {
        db.close();
        await server.stop();
      },
    };
  }
  // A private cluster with PostgreSQL's default durability (fsync on), as SQLite's run keeps its own.
  const cluster: PgCluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "ingest"`);
  await admin.end();
  const overrides = { LOG_LEVEL: "info", DATABASE_URL: cluster.url("ingest") };
  // One after the other: the first applies the migrations, the others find none pending.
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  for (let i = 0; i < instances; i += 1) servers.push(await startServer(overrides));
  const observer = new pg.Client({ connectionString: cluster.url("ingest") });
  await observer.connect();
  return {
    targets: servers.map(targetOf),
    pids: servers.map((server) => server.child.pid!),
    stored: async () =>
      Number((await observer.query(`SELECT count(*) AS n FROM "PrivacyRequest"`)).rows[0].n),
    stop: async () => {
      await observer.end();
      await Promise.all(servers.map((server) => server.stop()));
      cluster.stop();
    },
  };
}

function targetOf(server: Awaited<ReturnType<typeof startServer>>): LoadTarget {
  return {
    url: `${server.baseUrl}/webhooks/compliance`,
    secret: server.env.SHOPIFY_API_SECRET!,
    shop: SHOP,
    apiVersion: API_VERSION,
  };
}

/** The load of `connections` split over the server's instances, as one result. */
async function fireAt(server: Server, windowSeconds: number, idOffset: number): Promise<LoadResult> {
  const parts = await Promise.all(
    server.targets.map((target, i) =>
      fireWebhooks({
        ...target,
        connections: Math.ceil(connections / server.targets.length),
        seconds: windowSeconds,
        idOffset: idOffset + i * 1_000_000,
      }),
    ),
  );
  if (parts.length === 1) return parts[0]!;
  const latenciesMs = parts.flatMap((part) => part.latenciesMs).sort((a, b) => a - b);
  const ok = parts.reduce((sum, part) => sum + part.ok, 0);
  const elapsed = Math.max(...parts.map((part) => part.seconds));
  return {
    sent: latenciesMs.length,
    ok,
    failed: latenciesMs.length - ok,
    seconds: elapsed,
    reqPerSec: ok / elapsed,
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    latenciesMs,
  };
}

const cpuOf = (server: Server) => server.pids.reduce((sum, pid) => sum + processTreeCpuSeconds(pid), 0);

async function startReference(): Promise<Server> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-ref-"));
  const env = processEnv({ PORT: String(port), REFERENCE_DB: path.join(dir, "ref.sqlite") });
  const reference = startProcess("node_modules/.bin/tsx", ["bench/reference-server.ts"], env);
  await waitFor(async () => reference.output().includes("ready"), 20_000, "the reference server");
  return {
    targets: [
      {
        url: `http://127.0.0.1:${port}/`,
        secret: env.SHOPIFY_API_SECRET!,
        shop: SHOP,
        apiVersion: API_VERSION,
      },
    ],
    pids: [reference.child.pid!],
    stored: async () => Number.NaN,
    stop: () => reference.stop(),
  };
}

interface Measured {
  result: LoadResult;
  cpuSeconds: number;
}

/** One measured window: the load, and the CPU the server (with its children) spent meanwhile. */
async function measure(server: Server, windowSeconds: number, idOffset: number): Promise<Measured> {
  const cpuBefore = cpuOf(server);
  const result = await fireAt(server, windowSeconds, idOffset);
  return { result, cpuSeconds: cpuOf(server) - cpuBefore };
}

function pooled(windows: Measured[]) {
  const latencies = windows.flatMap((w) => w.result.latenciesMs).sort((a, b) => a - b);
  const ok = windows.reduce((sum, w) => sum + w.result.ok, 0);
  const elapsed = windows.reduce((sum, w) => sum + w.result.seconds, 0);
  const cpu = windows.reduce((sum, w) => sum + w.cpuSeconds, 0);
  return {
    reqPerSec: ok / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    sent: latencies.length,
    ok,
    cpuMsPerDelivery: (1000 * cpu) / ok,
  };
}

function describe(name: string, m: ReturnType<typeof pooled>, stored?: number) {
  return (
    `${name.padEnd(12)} ${fmt(m.reqPerSec)} req/s  p50 ${fmt(m.p50Ms)} ms  p99 ${fmt(m.p99Ms)} ms  ` +
    `sent ${m.sent}  ok ${m.ok}  cpu ${fmt(m.cpuMsPerDelivery)} ms/delivery${stored === undefined ? "" : `  stored ${stored}`}`
  );
}

/**
 * Throughput against the reference. The two servers run side by side and take turns, `rounds`
 * windows each, so a change in what else the machine is doing affects both alike.
 */
async function benchIngest() {
  console.log(
    `ingest benchmark: signed customers/data_request webhooks, ${connections} connections, ` +
      `${seconds} s per server in ${rounds} alternating rounds (+${warmupSeconds} s warm-up each); ` +
      `privacy-desk: ${instances} instance(s) on ${database}`,
  );
  const ours = await startPrivacyDesk();
  const reference = await startReference();
  try {
    await fireAt(ours, warmupSeconds, 1_000_000_000);
    await fireAt(reference, warmupSeconds, 1_000_000_000);
    const storedBefore = await ours.stored();
    const oursWindows: Measured[] = [];
    const referenceWindows: Measured[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const idOffset = round * 10_000_000;
      oursWindows.push(await measure(ours, seconds / rounds, idOffset));
      referenceWindows.push(await measure(reference, seconds / rounds, idOffset));
      const [o, r] = [oursWindows.at(-1)!.result, referenceWindows.at(-1)!.result];
      console.log(
        `round ${round + 1}: privacy-desk ${fmt(o.reqPerSec)} req/s (p99 ${fmt(o.p99Ms)} ms), ` +
          `reference ${fmt(r.reqPerSec)} req/s, ratio ${(o.reqPerSec / r.reqPerSec).toFixed(3)}`,
      );
    }
    const stored = (await ours.stored()) - storedBefore;
    const o = pooled(oursWindows);
    const r = pooled(referenceWindows);
    console.log(describe("privacy-desk", o, stored));
    console.log(describe("reference", r));
    console.log(
      `ingest: req_s=${fmt(o.reqPerSec)} p50_ms=${fmt(o.p50Ms)} p99_ms=${fmt(o.p99Ms)} stored=${stored} ` +
        `sent_ok=${o.ok} baseline_req_s=${fmt(r.reqPerSec)} ratio=${(o.reqPerSec / r.reqPerSec).toFixed(3)} ` +
        `cpu_ms=${fmt(o.cpuMsPerDelivery)} baseline_cpu_ms=${fmt(r.cpuMsPerDelivery)}` +
        (database === "sqlite" && instances === 1 ? "" : ` instances=${instances} db=${database}`),
    );
  } finally {
    await ours.stop();
    await reference.stop();
  }
}

/** `burst` deliveries at once, after a warm-up: what Shopify's retries after an outage look like. */
async function benchBurst() {
  console.log(
    `burst benchmark: ${burst} signed customers/data_request webhooks sent at once, after a warm-up`,
  );
  const ours = await startPrivacyDesk();
  try {
    await fireAt(ours, warmupSeconds, 1_000_000_000);
    const storedBefore = await ours.stored();
    const cpuBefore = cpuOf(ours);
    const result = await fireBurst({ ...ours.targets[0]!, deliveries: burst, idOffset: 0 });
    const cpuMs = (1000 * (cpuOf(ours) - cpuBefore)) / result.ok;
    const stored = (await ours.stored()) - storedBefore;
    console.log(
      `burst: deliveries=${burst} p50_ms=${fmt(result.p50Ms)} p99_ms=${fmt(result.p99Ms)} ` +
        `max_ms=${fmt(result.latenciesMs.at(-1)!)} ok=${result.ok} stored=${stored} cpu_ms=${fmt(cpuMs)}`,
    );
  } finally {
    await ours.stop();
  }
}

await (burst > 0 ? benchBurst() : benchIngest());
