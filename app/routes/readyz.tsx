import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { readyAnswer, toResponse } from "../ops-endpoints.server";

/** Readiness: database, migrations, a live worker (app/ops-endpoints.server.ts). */
export const loader = async () => toResponse(await readyAnswer(getDb(), getEnv()));
