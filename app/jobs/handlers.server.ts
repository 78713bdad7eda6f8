import { purgeExpiredExports, removeShopExportDirectory } from "../exports/export-store.server";
import { purgeShop } from "../services/redaction.server";
import { flagDeadlines } from "../services/deadline-watch.server";
import { PermanentJobError, type JobContext, type JobHandler, type JobHandlers } from "./job-context";
import {
  JOB_PAYLOADS,
  RECURRING_JOBS,
  type JobKind,
  type JobPayload,
  type RecurringJobKind,
} from "./job-kinds";
import { executeRequest } from "./execute-request.server";
import { enqueueJob } from "./queue.server";

export { PermanentJobError, type JobContext, type JobHandler, type JobHandlers } from "./job-context";

const purgeShopHandler: JobHandler<"purge_shop"> = async (ctx, payload) => {
  const { shopId } = await purgeShop(ctx.db, { ...payload, now: ctx.now() });
  if (shopId) await removeShopExportDirectory(ctx.exports, shopId);
};

/** A recurring job's next run, booked when this one has done its work. */
async function bookNextRun(ctx: JobContext, kind: RecurringJobKind) {
  await ctx.db.$transaction((tx) =>
    enqueueJob(tx, {
      shopId: null,
      kind,
      payload: {},
      runAt: new Date(ctx.now().getTime() + RECURRING_JOBS[kind]),
    }),
  );
}

const purgeExpiredExportsHandler: JobHandler<"purge_expired_exports"> = async (ctx) => {
  await purgeExpiredExports(ctx.db, ctx.keyring, ctx.exports, ctx.now());
  await bookNextRun(ctx, "purge_expired_exports");
};

const checkDeadlinesHandler: JobHandler<"check_deadlines"> = async (ctx) => {
  await flagDeadlines(ctx.db, ctx.keyring, ctx.now());
  await bookNextRun(ctx, "check_deadlines");
};

export const JOB_HANDLERS: JobHandlers = {
  execute_request: executeRequest,
  purge_shop: purgeShopHandler,
  purge_expired_exports: purgeExpiredExportsHandler,
  check_deadlines: checkDeadlinesHandler,
};

export function parseJobPayload<K extends JobKind>(kind: K, raw: string): JobPayload<K> {
  const result = JOB_PAYLOADS[kind].safeParse(JSON.parse(raw));
  if (!result.success) throw new PermanentJobError(`Malformed ${kind} payload: ${result.error.message}`);
  return result.data as JobPayload<K>;
}
