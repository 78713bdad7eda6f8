import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { metricsAnswer, toResponse } from "../ops-endpoints.server";

/** Prometheus metrics behind METRICS_TOKEN (app/ops-endpoints.server.ts). */
export const loader = async ({ request }: LoaderFunctionArgs) =>
  toResponse(await metricsAnswer(getDb(), getEnv(), request.headers.get("authorization")));
