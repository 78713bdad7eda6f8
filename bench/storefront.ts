import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { createDb } from "../app/db.server";
import { signAppProxyQuery } from "../app/domain/app-proxy-signature";
import { createAdminApiSimulator } from "../simulator/admin-api";
import { startSimulatorServer } from "../simulator/http-server";
import { startMailCatcher } from "../simulator/mail-catcher";
import { seedStore } from "../simulator/store";
import { TEST_API_SECRET } from "../test/helpers/constants";
import { migrateSqliteFile } from "../test/helpers/migrate";
import { freePort, processEnv, startProcess, startWorker, waitFor } from "../test/helpers/processes";
import { percentile } from "./load";

/**
 * npm run bench:storefront [-- --shoppers 200 --connections 20 --warm-up 40 --separate-worker]
 * The production build on a fresh SQLite file, behind the app proxy as Shopify forwards it: each
 * simulated shopper GETs the form, POSTs an access request (half of them for an address that is
 * a customer of the simulated store, half not), waits for the code email on a real SMTP server
 * (not timed) and POSTs the code. `connections` shoppers run at once. Each shopper comes from its
 * own address, as shoppers do (the per-address limits would otherwise stop one machine at 10).
 *
 * The p95s are of the steady state: the connections run without a pause from the start, and the
 * first `warm-up` shoppers (two per connection by default) are not in them, nor five shoppers
 * before those, one at a time, that warm the process up. The warm-up shoppers include the first
 * wave, every connection's first form at the same instant, which no real storefront sees and
 * which on two cores queues behind itself; its figures are printed on a line of their own.
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SHOPPERS = arg("shoppers", 200);
const CONNECTIONS = arg("connections", 20);
const WARM_UP = arg("warm-up", 2 * CONNECTIONS);
// The jobs (code emails, customer lookups) in a worker process of their own, as at scale, instead of
// in the web process, whose page answers then wait behind email rendering.
const SEPARATE_WORKER = process.argv.includes("--separate-worker");
const SHOP = "bench-store.myshopify.com";
const TOKEN = "shpat_bench";

if (!existsSync("build/server/index.js")) await promisify(execFile)("npm", ["run", "-s", "build"]);

const store = seedStore({ shop: SHOP, customers: Math.ceil((WARM_UP + SHOPPERS) / 2), ordersPerCustomer: 1 });
const knownEmails = [...store.customers.values()].flatMap((customer) => customer.email ?? []);
const simulator = await startSimulatorServer(
  createAdminApiSimulator({ stores: [store], accessTokens: { [SHOP]: TOKEN } }),
);
const mail = await startMailCatcher();

const port = await freePort();
const appUrl = `http://127.0.0.1:${port}`;
const env = processEnv({
  NODE_ENV: "development",
  PORT: String(port),
  SHOPIFY_APP_URL: appUrl,
  SHOPIFY_ADMIN_API_ORIGIN: simulator.url,
  SMTP_URL: mail.url,
  MAIL_FROM: "Bench Store <privacy@bench-store.example>",
  LOG_LEVEL: "warn",
  WORKER_MODE: SEPARATE_WORKER ? "separate" : "in-process",
});
const databaseFile = env.DATABASE_URL!.replace(/^file:/, "");
migrateSqliteFile(databaseFile);
const db = createDb(env.DATABASE_URL!);
await db.shop.create({ data: { domain: SHOP } });
await db.session.create({
  data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN },
});
await db.$disconnect();

// node with tsx as a loader, as npm start runs it: the tsx CLI would SIGKILL a busy server on stop.
const server = startProcess(process.execPath, ["--import", "tsx", "server/main.ts"], env);
const worker = SEPARATE_WORKER ? startWorker(env) : null;
await waitFor(async () => (await fetch(`${appUrl}/healthz`)).ok, 60_000, `the app on ${appUrl}`).catch(
  (error: Error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  },
);

/** A request as Shopify's app proxy forwards it: the query signed now, the shopper's address appended. */
function proxied(shopper: number, form?: Record<string, string>): [string, RequestInit] {
  const params = new URLSearchParams({
    shop: SHOP,
    logged_in_customer_id: "",
    path_prefix: "/apps/privacy",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const headers: Record<string, string> = {
    "x-forwarded-for": `198.18.${Math.floor(shopper / 250)}.${(shopper % 250) + 1}`,
    "accept-language": "en-US,en;q=0.8",
  };
  if (form) headers["content-type"] = "application/x-www-form-urlencoded";
  return [
    `${appUrl}/proxy?${signAppProxyQuery(params, TEST_API_SECRET).toString()}`,
    { method: form ? "POST" : "GET", headers, body: form ? new URLSearchParams(form).toString() : undefined },
  ];
}

const times = { form: [] as number[], submit: [] as number[], verify: [] as number[] };
const firstWave = { form: [] as number[], submit: [] as number[], verify: [] as number[] };
let ok = 0;
let failed = 0;
let warmUpFailed = 0;
const problems = new Map<string, number>();

/**
 * Times shopper n's request; counts it ok when it answers 200 with what `expect` finds in the
 * page. A warm-up shopper's time goes to the first-wave figures, and a failure of one still fails
 * the run.
 */
async function timed(
  step: keyof typeof times,
  n: number,
  [url, init]: [string, RequestInit],
  expect: RegExp,
): Promise<RegExpExecArray | null> {
  const warmUp = n < WARM_UP || n >= WARM_UP + SHOPPERS;
  const fail = (problem: string) => {
    if (warmUp) warmUpFailed += 1;
    else failed += 1;
    const key = `${warmUp ? "warm-up " : ""}${step}: ${problem}`;
    problems.set(key, (problems.get(key) ?? 0) + 1);
  };
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const page = await response.text();
    (warmUp ? firstWave : times)[step].push(performance.now() - started);
    const found = response.status === 200 ? expect.exec(page) : null;
    if (!found) fail(String(response.status));
    else if (!warmUp) ok += 1;
    return found;
  } catch (error) {
    fail((error as Error).message);
    return null;
  }
}

async function shopper(n: number) {
  const email = n % 2 === 0 && knownEmails[n / 2] ? knownEmails[n / 2]! : `not-a-customer-${n}@example.com`;
  const token = (await timed("form", n, proxied(n), /name="token" value="([^"]+)"/))?.[1];
  if (!token) return;
  const requestId = (
    await timed(
      "submit",
      n,
      proxied(n, { type: "access", email, message: "", token, locale: "en" }),
      /name="request" value="([0-9a-f-]{36})"/,
    )
  )?.[1];
  if (!requestId) return;
  const codeMail = await mail
    .waitFor((message) => message.envelopeTo.includes(email) && /\b\d{6}\b/.test(message.subject), 60_000)
    .catch(() => null);
  const code = codeMail ? /\b(\d{6})\b/.exec(codeMail.subject)![1]! : "000000";
  await timed("verify", n, proxied(n, { code, request: requestId, locale: "en" }), /Request received/);
}

// Five shoppers one after the other, in no figure: the first requests of a fresh process compile
// the routes, Prisma's query plans and the page templates.
for (let n = WARM_UP + SHOPPERS; n < WARM_UP + SHOPPERS + 5; n += 1) await shopper(n);
Object.assign(firstWave, { form: [], submit: [], verify: [] });
warmUpFailed = 0;
problems.clear();

console.log(
  `storefront benchmark: ${SHOPPERS} shoppers after ${WARM_UP} warming up, ${CONNECTIONS} at a time, against ${appUrl}/proxy, jobs ${SEPARATE_WORKER ? "in a separate worker process" : "in the web process"}`,
);
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (next < WARM_UP + SHOPPERS) await shopper(next++);
  }),
);
const seconds = (performance.now() - started) / 1000;
await server.stop();
await worker?.stop();
await simulator.close();
await mail.close();

const p95 = (step: keyof typeof times) =>
  percentile(
    [...times[step]].sort((a, b) => a - b),
    95,
  ).toFixed(1);
const p50 = (step: keyof typeof times) =>
  percentile(
    [...times[step]].sort((a, b) => a - b),
    50,
  ).toFixed(1);
const max = (values: number[]) => (values.length ? Math.max(...values) : Number.NaN).toFixed(1);
for (const step of ["form", "submit", "verify"] as const)
  console.log(`  ${step.padEnd(7)} ${times[step].length} requests  p50 ${p50(step)} ms  p95 ${p95(step)} ms`);
console.log(
  `  first wave (the ${WARM_UP} warm-up shoppers, the ${CONNECTIONS} connections' first forms sent at once; not in the p95s): ` +
    (["form", "submit", "verify"] as const)
      .map((step) => `${step} max ${max(firstWave[step])} ms`)
      .join(", "),
);
console.log(`  ${seconds.toFixed(1)} s in all (code emails included)`);
for (const [problem, count] of problems) console.log(`  failed: ${problem} ×${count}`);
// A failed step names its status only; the server's own error lines say why.
if (failed || warmUpFailed)
  console.log(
    server
      .output()
      .split("\n")
      .filter((line) => /error/i.test(line))
      .slice(0, 5)
      .join("\n"),
  );
console.log(
  `storefront: p95_ms_form=${p95("form")} p95_ms_submit=${p95("submit")} p95_ms_verify=${p95("verify")} ok=${ok} failed=${failed} worker=${SEPARATE_WORKER ? "separate" : "in-process"}`,
);
process.exit(failed === 0 && warmUpFailed === 0 ? 0 : 1);
