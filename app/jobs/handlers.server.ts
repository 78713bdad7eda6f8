import type { Db } from "../db-types";
import { isTerminal, type RequestStatus } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { purgeExpiredExports, removeExportFiles, removeShopExportDirectory, type ExportStorage } from "../exports/export-store.server";
import { redactCustomerData, purgeShop } from "../services/redaction.server";
import { transitionRequest } from "../services/requests.server";
import { JOB_PAYLOADS, type JobKind, type JobPayload } from "./job-kinds";
import { enqueueJob } from "./queue.server";

export interface JobContext {
  db: Db;
  keyring: Keyring;
  exports: ExportStorage;
  now: () => Date;
}

/** A failure that retrying cannot fix: the job is marked failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export type JobHandler<K extends JobKind> = (ctx: JobContext, payload: JobPayload<K>) => Promise<void>;
export type JobHandlers = { [K in JobKind]: JobHandler<K> };

const WORKER = "system:worker" as const;

/**
 * Executes an approved request. Everything happens in one transaction, so a crash leaves the
 * request approved and the retry starts over; a request that already reached a final status
 * (a second run after a lost lease) is left alone.
 */
const executeRequest: JobHandler<"execute_request"> = async (ctx, { shopId, requestId }) => {
  const exportPaths = await ctx.db.$transaction(async (tx) => {
    const request = await tx.privacyRequest.findFirst({ where: { id: requestId, shopId } });
    if (!request || isTerminal(request.status as RequestStatus)) return [];
    if (request.type !== "erasure") {
      throw new PermanentJobError(`Executing ${request.type} requests against Shopify is not available in this version`);
    }
    if (request.status === "approved") {
      await transitionRequest(tx, ctx.keyring, { shopId, requestId, event: "start", actor: WORKER, now: ctx.now() });
    }
    const { counts: redacted, exportPaths } = await redactCustomerData(tx, {
      shopId,
      customerId: request.customerId,
      emailHash: request.emailHash,
      subjectIds: request.subjectId ? [request.subjectId] : [],
      now: ctx.now(),
    });
    await transitionRequest(tx, ctx.keyring, {
      shopId,
      requestId,
      event: "complete",
      actor: WORKER,
      now: ctx.now(),
      data: { redacted },
    });
    return exportPaths;
  });
  await removeExportFiles(ctx.exports, exportPaths);
};

const purgeShopHandler: JobHandler<"purge_shop"> = async (ctx, payload) => {
  const { shopId } = await purgeShop(ctx.db, { ...payload, now: ctx.now() });
  if (shopId) await removeShopExportDirectory(ctx.exports, shopId);
};

/** How often retention runs. */
export const EXPORT_RETENTION_INTERVAL_MS = 60 * 60_000;

/** Deletes expired exports, then books its own next run. */
const purgeExpiredExportsHandler: JobHandler<"purge_expired_exports"> = async (ctx) => {
  await purgeExpiredExports(ctx.db, ctx.keyring, ctx.exports, ctx.now());
  await ctx.db.$transaction((tx) =>
    enqueueJob(tx, { shopId: null, kind: "purge_expired_exports", payload: {}, runAt: new Date(ctx.now().getTime() + EXPORT_RETENTION_INTERVAL_MS) }),
  );
};

export const JOB_HANDLERS: JobHandlers = {
  execute_request: executeRequest,
  purge_shop: purgeShopHandler,
  purge_expired_exports: purgeExpiredExportsHandler,
};

export function parseJobPayload<K extends JobKind>(kind: K, raw: string): JobPayload<K> {
  const result = JOB_PAYLOADS[kind].safeParse(JSON.parse(raw));
  if (!result.success) throw new PermanentJobError(`Malformed ${kind} payload: ${result.error.message}`);
  return result.data as JobPayload<K>;
}
