import { IllegalTransitionError, ConcurrentUpdateError } from "../../domain/errors";
import { writeCustomerExport } from "../../exports/customer-export.server";
import {
  recordExport,
  removeExportFiles,
  removeUnrecordedExportFiles,
} from "../../exports/export-store.server";
import { shopPreferences } from "../settings.server";
import { SUPERSEDED_BY_ERASURE } from "./app-redaction.server";
import type { ExecutionContext } from "./execution-context";
import {
  recordOutcome,
  shopDomainOf,
  startIfApproved,
  WORKER,
  type RequestRow,
} from "./request-steps.server";

/**
 * Access and portability: check (the person was not erased) → act (read them from Shopify into
 * an encrypted export package) → record. The export's row, its `export.created` event and the
 * request's completion are one transaction: a crash before it leaves only an unrecorded file,
 * which the next run removes before building again, so a retry never makes a second export.
 */
export async function executeAccessExport(ctx: ExecutionContext, approved: RequestRow): Promise<void> {
  if (await personErased(ctx, approved)) {
    return recordOutcome(ctx, approved, "supersede", { reason: SUPERSEDED_BY_ERASURE });
  }
  const request = await startIfApproved(ctx, approved);
  await removeUnrecordedExportFiles(ctx.db, ctx.exports, { shopId: request.shopId, requestId: request.id });
  // The shop's own retention choice (Settings) wins over the deployment default.
  const { exportRetentionDays } = await shopPreferences(ctx.db, request.shopId, ctx.exports.retentionDays);
  const storage = { ...ctx.exports, retentionDays: exportRetentionDays };
  const { file, orderCount, coverage } = await writeCustomerExport(
    {
      db: ctx.db,
      keyring: ctx.keyring,
      exports: storage,
      admin: ctx.admin(await shopDomainOf(ctx, request)),
      now: ctx.now(),
    },
    request,
  );
  try {
    await recordOutcome(
      ctx,
      request,
      "complete",
      { data: { exportId: file.id, orders: orderCount, sizeBytes: file.sizeBytes, coverage } },
      async (tx) => {
        await recordExport(tx, ctx.keyring, storage, { file, actor: WORKER, now: ctx.now() });
      },
    );
  } catch (error) {
    await removeExportFiles(ctx.exports, [file.relativePath]);
    // Erased (or otherwise moved on) while the package was being built: nothing to record.
    if (error instanceof IllegalTransitionError || error instanceof ConcurrentUpdateError) return;
    throw error;
  }
}

/** Erased people get no export: their data is gone from the app, and the request with it. */
async function personErased(ctx: ExecutionContext, request: RequestRow): Promise<boolean> {
  if (request.redactedAt) return true;
  if (!request.subjectId) return false;
  const subject = await ctx.db.dataSubject.findFirst({
    where: { id: request.subjectId, shopId: request.shopId },
    select: { erasedAt: true },
  });
  return subject?.erasedAt != null;
}
