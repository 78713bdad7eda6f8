import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { API_VERSION } from "../app/api-version";
import { freePort, processEnv, startProcess, startServer, waitFor } from "../test/helpers/processes";
import { fireWebhooks, type LoadResult } from "./load";

// npm run bench:ingest [-- --seconds 10 --connections 50]
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg("seconds", 10);
const connections = arg("connections", 50);
const warmupSeconds = 2;
const SHOP = "bench-store.myshopify.com";
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 2) : "nan");

function report(name: string, result: LoadResult, stored?: number) {
  console.log(
    `${name.padEnd(10)} ${fmt(result.reqPerSec)} req/s  p50 ${fmt(result.p50Ms)} ms  p99 ${fmt(result.p99Ms)} ms  ` +
      `sent ${result.sent}  ok ${result.ok}  failed ${result.failed}${stored === undefined ? "" : `  stored ${stored}`}`,
  );
}

async function benchPrivacyDesk() {
  if (!existsSync("build/server/index.js")) execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
  const server = await startServer({ LOG_LEVEL: "info" });
  try {
    const load = {
      url: `${server.baseUrl}/webhooks/compliance`,
      secret: server.env.SHOPIFY_API_SECRET!,
      shop: SHOP,
      apiVersion: API_VERSION,
      connections,
    };
    await fireWebhooks({ ...load, seconds: warmupSeconds, idOffset: 1_000_000_000 });
    const db = new Database(server.env.DATABASE_URL!.replace(/^file:/, ""), { readonly: true });
    const before = (db.prepare(`SELECT count(*) AS n FROM "PrivacyRequest"`).get() as { n: number }).n;
    const result = await fireWebhooks({ ...load, seconds, idOffset: 0 });
    const stored =
      (db.prepare(`SELECT count(*) AS n FROM "PrivacyRequest"`).get() as { n: number }).n - before;
    db.close();
    return { result, stored };
  } finally {
    await server.stop();
  }
}

async function benchReference() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-ref-"));
  const env = processEnv({ PORT: String(port), REFERENCE_DB: path.join(dir, "ref.sqlite") });
  const reference = startProcess("node_modules/.bin/tsx", ["bench/reference-server.ts"], env);
  try {
    await waitFor(async () => reference.output().includes("ready"), 20_000, "the reference server");
    const load = {
      url: `http://127.0.0.1:${port}/`,
      secret: env.SHOPIFY_API_SECRET!,
      shop: SHOP,
      apiVersion: API_VERSION,
      connections,
    };
    await fireWebhooks({ ...load, seconds: warmupSeconds, idOffset: 1_000_000_000 });
    return await fireWebhooks({ ...load, seconds, idOffset: 0 });
  } finally {
    await reference.stop();
  }
}

console.log(
  `ingest benchmark: signed customers/data_request webhooks, ${connections} connections, ${seconds} s (+${warmupSeconds} s warm-up)`,
);
const ours = await benchPrivacyDesk();
report("privacy-desk", ours.result, ours.stored);
const baseline = await benchReference();
report("reference", baseline);
const ratio = ours.result.reqPerSec / baseline.reqPerSec;
console.log(
  `ingest: req_s=${fmt(ours.result.reqPerSec)} p50_ms=${fmt(ours.result.p50Ms)} p99_ms=${fmt(ours.result.p99Ms)} ` +
    `stored=${ours.stored} sent_ok=${ours.result.ok} baseline_req_s=${fmt(baseline.reqPerSec)} ratio=${ratio.toFixed(3)}`,
);
