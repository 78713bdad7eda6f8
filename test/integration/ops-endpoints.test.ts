import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { getMetrics } from "../../app/metrics.server";
import { healthAnswer, metricsAnswer, readyAnswer } from "../../app/ops-endpoints.server";
import { beat, workerIdentity } from "../../app/queue/worker-heartbeat.server";
import { loader as metricsRoute } from "../../app/routes/metrics";
import { loader as readyRoute } from "../../app/routes/readyz";
import { action } from "../../app/routes/webhooks.compliance";
import { SHOP } from "../helpers/constants";
import { createTestRequest } from "../helpers/requests";
import { resetDatabase } from "../helpers/reset";
import { samplePayload, signedWebhook } from "../helpers/webhooks";

const TOKEN = "a-metrics-token-of-24-chars-or-more";
const env = () => ({ DATABASE_URL: process.env.DATABASE_URL!, METRICS_TOKEN: TOKEN });

beforeEach(resetDatabase);
beforeEach(() => getDb().workerHeartbeat.deleteMany());
afterEach(() => {
  globalThis.__privacyDeskShuttingDown = undefined;
});

describe("GET /healthz", () => {
  it("answers 200 whenever the process runs, without asking the database", () => {
    expect(healthAnswer()).toMatchObject({ status: 200 });
  });
});

describe("GET /readyz", () => {
  it("is not ready while no worker has a fresh heartbeat, and says so", async () => {
    // GIVEN a migrated database and no worker
    const answer = await readyAnswer(getDb(), env());
    // THEN 503, with the database and migrations fine and the worker check failing
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({
      ready: false,
      checks: {
        database: { ok: true },
        migrations: { ok: true, pending: [] },
        worker: { ok: false, alive: 0 },
      },
    });
  });

  it("is ready once a worker beats, and not once its beat is stale", async () => {
    const worker = workerIdentity();
    await beat(getDb(), worker, new Date());
    const ready = await readyRoute();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { worker: { ok: true, alive: 1 } } });

    // WHEN a minute passes without a beat
    const later = new Date(Date.now() + 60_000);
    expect((await readyAnswer(getDb(), env(), later)).status).toBe(503);
  });

  it("is not ready when a migration this build ships is not applied, and names it", async () => {
    await beat(getDb(), workerIdentity(), new Date());
    const [last] = await getDb().$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`,
    );
    await getDb()
      .$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${last!.migration_name}`;
    const answer = await readyAnswer(getDb(), env());
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).checks.migrations).toEqual({ ok: false, pending: [last!.migration_name] });
  });

  it("is not ready once the process is shutting down", async () => {
    await beat(getDb(), workerIdentity(), new Date());
    globalThis.__privacyDeskShuttingDown = true;
    const answer = await readyAnswer(getDb(), env());
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).checks.accepting).toEqual({ ok: false });
  });
});

describe("GET /metrics", () => {
  it("is 404 while METRICS_TOKEN is unset, and 401 without the token or with another", async () => {
    expect(
      (await metricsRoute({ request: new Request("http://x/metrics"), params: {}, context: {} })).status,
    ).toBe(404);
    expect((await metricsAnswer(getDb(), env(), null)).status).toBe(401);
    expect((await metricsAnswer(getDb(), env(), `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await metricsAnswer(getDb(), env(), TOKEN)).status).toBe(401);
    expect((await metricsAnswer(getDb(), env(), `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it("counts webhooks by topic and outcome, with their latency, and reports the database's jobs and requests", async () => {
    // GIVEN a stored data request, a redelivery, a forged delivery, and an overdue request
    const before = (await getMetrics().webhooks.get()).values;
    const body = samplePayload("customers/data_request", SHOP);
    const webhookId = crypto.randomUUID();
    const post = (request: Request) => action({ request, params: {}, context: {} });
    expect(
      (await post(signedWebhook({ topic: "customers/data_request", shop: SHOP, body, webhookId }))).status,
    ).toBe(200);
    expect(
      (await post(signedWebhook({ topic: "customers/data_request", shop: SHOP, body, webhookId }))).status,
    ).toBe(200);
    expect(
      (
        await post(
          signedWebhook({
            topic: "customers/redact",
            shop: SHOP,
            body: samplePayload("customers/redact", SHOP),
            secret: "forged",
          }),
        )
      ).status,
    ).toBe(401);
    await createTestRequest({ type: "access", receivedAt: new Date(Date.now() - 60 * 86_400_000) });

    // WHEN Prometheus scrapes
    const answer = await metricsAnswer(getDb(), env(), `Bearer ${TOKEN}`, new Date(Date.now() + 10_000));
    const text = answer.body;

    // THEN this process's webhooks are counted by outcome, and timed
    const count = (labels: string) =>
      Number(
        new RegExp(`^privacy_desk_webhooks_total\\{${labels}[^}]*\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0,
      );
    const was = (topic: string, outcome: string) =>
      before.find((v) => v.labels.topic === topic && v.labels.outcome === outcome)?.value ?? 0;
    expect(count('topic="customers/data_request",outcome="recorded",status="200"')).toBe(
      was("customers/data_request", "recorded") + 1,
    );
    expect(count('topic="customers/data_request",outcome="duplicate",status="200"')).toBe(
      was("customers/data_request", "duplicate") + 1,
    );
    expect(count('topic="customers/redact",outcome="rejected",status="401"')).toBe(
      was("customers/redact", "rejected") + 1,
    );
    expect(text).toMatch(
      /^privacy_desk_webhook_duration_seconds_bucket\{.*topic="customers\/data_request".*\} \d+$/m,
    );
    // AND the database-wide gauges: requests by status, the overdue one, jobs by kind
    expect(text).toMatch(/^privacy_desk_requests\{status="pending_review",app="privacy-desk"\} 2$/m);
    expect(text).toMatch(/^privacy_desk_requests_overdue\{app="privacy-desk"\} 1$/m);
    expect(text).toMatch(/^privacy_desk_workers_alive\{app="privacy-desk"\} 0$/m);
    expect(text).toMatch(
      /^privacy_desk_admin_api_throttle_wait_seconds_total\{app="privacy-desk"\} [\d.]+$/m,
    );
    expect(text).toMatch(/^privacy_desk_process_cpu_seconds_total/m);
  });
});
