import { isTerminal, type RequestStatus } from "../domain/request-lifecycle";
import { rectificationDiff, snapshotHash } from "../domain/rectification";
import type { Db } from "../db-types";
import { buildCustomerExport } from "../exports/build-customer-export.server";
import { removeExportFiles } from "../exports/export-store.server";
import { shopPreferences } from "../services/settings.server";
import type { AuditEntry } from "../services/audit-log.server";
import { redactCustomerData } from "../services/redaction.server";
import { readRequestedChanges, transitionRequest } from "../services/requests.server";
import { createSubjectReader, openSubject } from "../services/subjects.server";
import { customerGid, fetchCustomerRecord } from "../shopify-admin/customer-record.server";
import { PermanentJobError, type JobContext, type JobHandler } from "./job-context";

const WORKER = "system:worker" as const;

/**
 * Carries out an approved request. A request that already reached a final status (a second run
 * after a lost lease) is left alone. Calls to Shopify happen between transactions, never inside
 * one: the process has a single database connection (ADR 002).
 */
export const executeRequest: JobHandler<"execute_request"> = async (ctx, { shopId, requestId }) => {
  const request = await ctx.db.privacyRequest.findFirst({ where: { id: requestId, shopId } });
  if (!request || isTerminal(request.status as RequestStatus)) return;
  if (request.type === "erasure") {
    return request.source === "shopify_webhook"
      ? executeErasure(ctx, request)
      : executeShopifyErasure(ctx, request);
  }
  if (request.type === "rectification") return executeRectification(ctx, request);
  if (request.type === "sale_opt_out") return executeSaleOptOut(ctx, request);
  if (request.type === "access" || request.type === "portability") return executeExport(ctx, request);
  throw new PermanentJobError(`Unknown request type ${request.type}`);
};

type Request = NonNullable<Awaited<ReturnType<Db["privacyRequest"]["findFirst"]>>>;

/** Erasure of what the app holds (customers/redact): one transaction, so a crash leaves it approved. */
async function executeErasure(
  ctx: JobContext,
  { shopId, id: requestId }: Request,
  shopify?: Record<string, unknown>,
) {
  const exportPaths = await ctx.db.$transaction(async (tx) => {
    const request = await tx.privacyRequest.findFirst({ where: { id: requestId, shopId } });
    if (!request || isTerminal(request.status as RequestStatus)) return [];
    if (request.status === "approved") {
      await transitionRequest(tx, ctx.keyring, {
        shopId,
        requestId,
        event: "start",
        actor: WORKER,
        now: ctx.now(),
      });
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
      data: { redacted, ...(shopify ? { shopify } : {}) },
    });
    return exportPaths;
  });
  await removeExportFiles(ctx.exports, exportPaths);
}

const mover =
  (ctx: JobContext, request: Request) =>
  (
    event: "start" | "complete" | "fail" | "return_to_review",
    extra: { reason?: string; data?: Record<string, unknown>; pii?: AuditEntry["pii"] } = {},
  ) =>
    ctx.db.$transaction(async (tx) => {
      await transitionRequest(tx, ctx.keyring, {
        shopId: request.shopId,
        requestId: request.id,
        actor: WORKER,
        event,
        now: ctx.now(),
        ...extra,
      });
      // Back in review, the merchant must look at the record again before approving.
      if (event === "return_to_review")
        await tx.privacyRequest.updateMany({
          where: { id: request.id },
          data: { reviewedSnapshotHash: null },
        });
    });

/**
 * Re-reads the customer in Shopify; if it is not the record the merchant approved, the request
 * goes back to review with the reason and nothing is changed in Shopify. Returns the record
 * when it still matches.
 */
async function recordStillAsReviewed(ctx: JobContext, request: Request, shopDomain: string) {
  const move = mover(ctx, request);
  if (request.status === "approved") await move("start");
  const record = await fetchCustomerRecord(ctx.admin(shopDomain), request.customerId!);
  if (snapshotHash(record) !== request.reviewedSnapshotHash) {
    await move("return_to_review", {
      reason:
        "The customer's record in Shopify changed after it was reviewed; review it again before approving",
    });
    return { ok: false as const };
  }
  return { ok: true as const, record };
}

/** A request that cannot go to Shopify at all fails; an approved one is started first (the table has no approved → failed). */
async function failBeforeShopify(ctx: JobContext, request: Request, reason: string) {
  const move = mover(ctx, request);
  if (request.status === "approved") await move("start");
  await move("fail", { reason });
}

const shopDomainOf = async (ctx: JobContext, request: Request) =>
  (await ctx.db.shop.findUniqueOrThrow({ where: { id: request.shopId }, select: { domain: true } })).domain;

/**
 * A merchant-approved erasure: Shopify's own erasure flow (customerRequestDataErasure), then what
 * the app holds, as for customers/redact. DOES_NOT_EXIST completes with that recorded;
 * FAILED_TO_REQUEST is retried, and fails the request when the last attempt gets it too.
 */
async function executeShopifyErasure(ctx: JobContext, request: Request) {
  const move = mover(ctx, request);
  if (!request.customerId) return failBeforeShopify(ctx, request, "No Shopify customer id to erase");
  const shopDomain = await shopDomainOf(ctx, request);
  if (!(await recordStillAsReviewed(ctx, request, shopDomain)).ok) return;
  const { data } = await ctx
    .admin(shopDomain)
    .request("CustomerRequestDataErasure", { customerId: customerGid(request.customerId) });
  const errors = payloadOf(data.customerRequestDataErasure, "customerRequestDataErasure").userErrors;
  const failed = errors.find((error) => error.code !== "DOES_NOT_EXIST");
  if (failed) {
    const message = `Shopify could not start the erasure: ${failed.message}`;
    if (ctx.lastAttempt) {
      await move("fail", { reason: message, data: { shopifyUserErrors: errors } });
      throw new PermanentJobError(message);
    }
    throw new Error(message);
  }
  await executeErasure(ctx, request, { erasure: errors.length ? "customer_does_not_exist" : "requested" });
}

/** Rectification: customerUpdate with the requested corrections; the before/after goes, sealed, into the audit trail. */
async function executeRectification(ctx: JobContext, request: Request) {
  const move = mover(ctx, request);
  const subject = request.subjectId ? await openSubject(ctx.db, ctx.keyring, request.subjectId) : null;
  const changes = await readRequestedChanges(ctx.db, ctx.keyring, request);
  if (!subject || !changes || !request.customerId) {
    return failBeforeShopify(ctx, request, "The request holds no valid corrections for a Shopify customer");
  }
  const shopDomain = await shopDomainOf(ctx, request);
  const check = await recordStillAsReviewed(ctx, request, shopDomain);
  if (!check.ok) return;
  if (!check.record) {
    await move("fail", { reason: "The customer no longer exists in Shopify" });
    return;
  }
  const { data } = await ctx
    .admin(shopDomain)
    .request("CustomerUpdate", { input: { id: customerGid(request.customerId), ...changes } });
  const { userErrors } = payloadOf(data.customerUpdate, "customerUpdate");
  if (userErrors.length) {
    await move("fail", {
      reason: `Shopify refused the correction: ${userErrors.map((e) => e.message).join("; ")}`,
      data: { shopifyUserErrors: userErrors },
    });
    return;
  }
  const diff = rectificationDiff(check.record, changes);
  await move("complete", {
    data: { fieldsChanged: diff.map((change) => change.field) },
    pii: { subject, values: { changes: diff } },
  });
}

/** Access and portability: the export package, stored encrypted for staff to download. */
async function executeExport(ctx: JobContext, request: Request) {
  const move = mover(ctx, request);
  if (request.status === "approved") await move("start");
  const { stored, orderCount } = await buildCustomerExport(
    // The shop's own retention choice (Settings) wins over the deployment default.
    {
      db: ctx.db,
      keyring: ctx.keyring,
      exports: {
        ...ctx.exports,
        retentionDays: (await shopPreferences(ctx.db, request.shopId, ctx.exports.retentionDays))
          .exportRetentionDays,
      },
      admin: ctx.admin(await shopDomainOf(ctx, request)),
      actor: WORKER,
      now: ctx.now(),
    },
    request,
  );
  await move("complete", {
    data: {
      exportId: stored.id,
      orders: orderCount,
      sizeBytes: stored.sizeBytes,
      expiresAt: stored.expiresAt.toISOString(),
    },
  });
}

/**
 * CCPA "do not sell or share": Shopify's dataSaleOptOut for the requester's email. Shopify treats
 * a repeat as a no-op, so running again after a crash is safe. A refusal (userErrors) fails the
 * request with Shopify's message for the merchant.
 */
async function executeSaleOptOut(ctx: JobContext, request: Request) {
  const move = mover(ctx, request);
  const email = await createSubjectReader(ctx.db, ctx.keyring)(
    request.subjectId,
    "email",
    request.emailCipher,
  );
  if (!email) return failBeforeShopify(ctx, request, "The request has no email address to opt out");
  if (request.status === "approved") await move("start");
  const { data } = await ctx.admin(await shopDomainOf(ctx, request)).request("DataSaleOptOut", { email });
  const { customerId, userErrors } = payloadOf(data.dataSaleOptOut, "dataSaleOptOut");
  if (userErrors.length) {
    await move("fail", {
      reason: `Shopify refused the opt-out: ${userErrors.map((e) => e.message).join("; ")}`,
      data: { shopifyUserErrors: userErrors },
    });
    return;
  }
  await move("complete", { data: { shopify: { dataSaleOptOut: true, customerId } } });
}

/** A mutation's payload is nullable in the schema; Shopify always sends one, so null is an error worth retrying. */
function payloadOf<P>(payload: P | null, mutation: string): P {
  if (!payload) throw new Error(`Shopify returned no ${mutation} payload`);
  return payload;
}
