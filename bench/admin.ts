import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateSqliteFile } from "../test/helpers/migrate";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_ENCRYPTION_KEY } from "../test/helpers/constants";

// npm run bench:admin [-- --requests 100000 --shops 50 --samples 200]
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TOTAL = arg("requests", 100_000);
const SHOPS = arg("shops", 50);
const SAMPLES = arg("samples", 200);
const OWNER = "7001";

const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-bench-admin-"));
const file = path.join(dir, "app.sqlite");
migrateSqliteFile(file);
Object.assign(process.env, {
  NODE_ENV: "production",
  DATABASE_URL: `file:${file}`,
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  LOG_LEVEL: "silent",
  CHECKPOINT_DISABLE: "1",
});

// Imported once the environment is set: the app reads it when loaded.
const { getDb } = await import("../app/db.server");
const { getKeyring } = await import("../app/keys.server");
const { seedRequests } = await import("./admin-seed");
const { sessionToken } = await import("../server/demo/session-token");
const { loader: indexLoader } = await import("../app/routes/app.requests._index");
const { loader: dashboardLoader } = await import("../app/routes/app._index");
const { requestIndexPage } = await import("../app/services/request-index.server");
const { requestIndexQuery } = await import("../app/domain/request-index");

const db = getDb();
const keyring = getKeyring();
console.log(`admin benchmark: seeding ${TOTAL} requests across ${SHOPS} shops…`);
const seedStarted = performance.now();
const shops = await seedRequests(db, keyring, { total: TOTAL, shops: SHOPS, ownerUserId: OWNER });
console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${file})`);

// Page 50 of each shop's index, found by walking the pages (not measured).
const page50 = new Map<string, string>();
for (const shop of shops) {
  let after: string | undefined;
  for (let page = 1; page < 50; page += 1) {
    const result = await requestIndexPage(
      db,
      keyring,
      shop,
      requestIndexQuery.parse(after ? { after } : {}),
      new Date(),
    );
    after = result.next!;
  }
  page50.set(shop.id, after!);
}

type Loader = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<unknown>;
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

/** Calls the route's loader as Remix does for an App Bridge fetch: session token in the header. */
async function timeLoader(
  loader: Loader,
  pathFor: (shop: (typeof shops)[number]) => string,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i += 1) {
    const shop = pick(shops);
    const token = sessionToken({
      shop: shop.domain,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      userId: OWNER,
    });
    const request = new Request(`${TEST_APP_URL}${pathFor(shop)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const started = performance.now();
    const result = await loader({ request, params: {}, context: {} });
    const elapsed = performance.now() - started;
    if (result instanceof Response && result.status >= 400)
      throw new Error(`${pathFor(shop)} answered ${result.status}`);
    if (i >= 20) times.push(elapsed); // the first calls warm up the JIT and SQLite's cache
  }
  return times.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const results: Record<string, number[]> = {
  first: await timeLoader(indexLoader as Loader, () => "/app/requests"),
  filter: await timeLoader(
    indexLoader as Loader,
    () => "/app/requests?status=pending_review&type=access&source=storefront&sort=due_asc",
  ),
  search: await timeLoader(
    indexLoader as Loader,
    (shop) => `/app/requests?q=${encodeURIComponent(pick(shop.emails))}`,
  ),
  page50: await timeLoader(indexLoader as Loader, (shop) => `/app/requests?after=${page50.get(shop.id)}`),
  dashboard: await timeLoader(dashboardLoader as Loader, () => "/app"),
};

console.log(`loaders, ${SAMPLES} calls each, a random shop every call (authentication included):`);
for (const [name, times] of Object.entries(results)) {
  console.log(
    `  ${name.padEnd(10)} p50 ${quantile(times, 0.5).toFixed(2)} ms  p95 ${quantile(times, 0.95).toFixed(2)} ms  max ${times.at(-1)!.toFixed(2)} ms`,
  );
}
const p95 = (name: string) => quantile(results[name]!, 0.95).toFixed(2);
console.log(
  `admin: requests=${TOTAL} p95_ms_first=${p95("first")} p95_ms_filter=${p95("filter")} p95_ms_search=${p95("search")} p95_ms_page50=${p95("page50")} p95_ms_dashboard=${p95("dashboard")}`,
);
await db.$disconnect();
