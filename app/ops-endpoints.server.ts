import { timingSafeEqual } from "node:crypto";
import type { Db } from "./db-types";
import type { Env } from "./env.server";
import { getMetrics } from "./metrics.server";
import { readiness, renderMetrics } from "./services/ops-status.server";

/**
 * GET /healthz, /readyz and /metrics (README "Running at scale"), answered by the Express layer
 * in production (server/http-app.ts), by Remix routes under the Vite dev server, and by a
 * separate worker's own small server (METRICS_PORT).
 */
export interface OpsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = (status: number, value: unknown): OpsAnswer => ({
  status,
  headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  body: JSON.stringify(value),
});

declare global {
  var __privacyDeskShuttingDown: boolean | undefined;
}

/** From SIGTERM on, /readyz answers 503 so load balancers stop sending traffic here. */
export const markShuttingDown = () => (globalThis.__privacyDeskShuttingDown = true);
export const isShuttingDown = () => globalThis.__privacyDeskShuttingDown === true;

const startedAt = Date.now();

/** Liveness: the process answers. Nothing else is checked, so a database outage never restarts it. */
export function healthAnswer(): OpsAnswer {
  return json(200, { ok: true, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
}

/** Readiness: database reachable, migrations applied, a worker alive, not shutting down. */
export async function readyAnswer(
  db: Db,
  env: Pick<Env, "DATABASE_URL">,
  now = new Date(),
): Promise<OpsAnswer> {
  const result = await readiness(db, { databaseUrl: env.DATABASE_URL, now, shuttingDown: isShuttingDown() });
  return json(result.ready ? 200 : 503, result);
}

/** The bearer token, compared in constant time. */
function authorized(authorization: string | null, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(authorization ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Prometheus's text format, for `Authorization: Bearer <METRICS_TOKEN>`; 404 while metrics are off. */
export async function metricsAnswer(
  db: Db,
  env: Pick<Env, "METRICS_TOKEN">,
  authorization: string | null,
  now = new Date(),
): Promise<OpsAnswer> {
  if (!env.METRICS_TOKEN)
    return { status: 404, headers: { "Content-Type": "text/plain" }, body: "Not Found" };
  if (!authorized(authorization, env.METRICS_TOKEN))
    return {
      status: 401,
      headers: { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="metrics"' },
      body: "Unauthorized",
    };
  const metrics = getMetrics();
  return {
    status: 200,
    headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" },
    body: await renderMetrics(db, metrics, now),
  };
}

/** For the Remix routes (the Vite dev server). */
export const toResponse = (answer: OpsAnswer) =>
  new Response(answer.body, { status: answer.status, headers: answer.headers });
