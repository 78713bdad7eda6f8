import type { Db } from "../db-types";
import { isTerminal, type RequestStatus } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import { purgeExpiredExports, removeExportFiles, removeShopExportDirectory, type ExportStorage } from "../exports/export-store.server";
import { redactCustomerData, purgeShop } from "../services/redaction.server";
import { flagDeadlines } from "../services/deadline-watch.server";
import { transitionRequest } from "../services/requests.server";
import { createSubjectReader } from "../services/subjects.server";
import { JOB_PAYLOADS, RECURRING_JOBS, type JobKind, type JobPayload, type RecurringJobKind } from "./job-kinds";
import { enqueueJob } from "./queue.server";

export interface JobContext {
  db: Db;
  keyring: Keyring;
  exports: ExportStorage;
  /** An Admin API client for a shop (its offline session); injected so tests use the simulator. */
  admin: (shopDomain: string) => AdminClient;
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
 * Carries out an approved request. A request that already reached a final status (a second run
 * after a lost lease) is left alone. Calls to Shopify happen between transactions, never inside
 * one: the process has a single database connection (ADR 002).
 */
const executeRequest: JobHandler<"execute_request"> = async (ctx, { shopId, requestId }) => {
  const request = await ctx.db.privacyRequest.findFirst({ where: { id: requestId, shopId } });
  if (!request || isTerminal(request.status as RequestStatus)) return;
  if (request.type === "erasure") return executeErasure(ctx, request);
  if (request.type === "sale_opt_out") return executeSaleOptOut(ctx, request);
  throw new PermanentJobError(`Executing ${request.type} requests against Shopify is not available in this version`);
};

type Request = NonNullable<Awaited<ReturnType<Db["privacyRequest"]["findFirst"]>>>;

/** Erasure of what the app holds (customers/redact): one transaction, so a crash leaves it approved. */
async function executeErasure(ctx: JobContext, { shopId, id: requestId }: Request) {
  const exportPaths = await ctx.db.$transaction(async (tx) => {
    const request = await tx.privacyRequest.findFirst({ where: { id: requestId, shopId } });
    if (!request || isTerminal(request.status as RequestStatus)) return [];
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
    await transitionRequest(tx, ctx.keyring, { shopId, requestId, event: "complete", actor: WORKER, now: ctx.now(), data: { redacted } });
    return exportPaths;
  });
  await removeExportFiles(ctx.exports, exportPaths);
}

/**
 * CCPA "do not sell or share": Shopify's dataSaleOptOut for the requester's email. Shopify treats
 * a repeat as a no-op, so running again after a crash is safe. A refusal (userErrors) fails the
 * request with Shopify's message for the merchant.
 */
async function executeSaleOptOut(ctx: JobContext, request: Request) {
  const base = { shopId: request.shopId, requestId: request.id, actor: WORKER } as const;
  const move = (event: "start" | "complete" | "fail", extra: { reason?: string; data?: Record<string, unknown> } = {}) =>
    ctx.db.$transaction((tx) => transitionRequest(tx, ctx.keyring, { ...base, event, now: ctx.now(), ...extra }));

  if (request.status === "approved") await move("start");
  const email = await createSubjectReader(ctx.db, ctx.keyring)(request.subjectId, "email", request.emailCipher);
  if (!email) {
    await move("fail", { reason: "The request has no email address to opt out" });
    return;
  }
  const shop = await ctx.db.shop.findUniqueOrThrow({ where: { id: request.shopId }, select: { domain: true } });
  type Payload = { dataSaleOptOut: { customerId: string | null; userErrors: { message: string; code: string | null }[] } };
  const { data } = await ctx.admin(shop.domain).request<Payload>("DataSaleOptOut", { email });
  const { customerId, userErrors } = data.dataSaleOptOut;
  if (userErrors.length) {
    await move("fail", {
      reason: `Shopify refused the opt-out: ${userErrors.map((e) => e.message).join("; ")}`,
      data: { shopifyUserErrors: userErrors },
    });
    return;
  }
  await move("complete", { data: { shopify: { dataSaleOptOut: true, customerId } } });
}

const purgeShopHandler: JobHandler<"purge_shop"> = async (ctx, payload) => {
  const { shopId } = await purgeShop(ctx.db, { ...payload, now: ctx.now() });
  if (shopId) await removeShopExportDirectory(ctx.exports, shopId);
};

/** A recurring job's next run, booked when this one has done its work. */
async function bookNextRun(ctx: JobContext, kind: RecurringJobKind) {
  await ctx.db.$transaction((tx) =>
    enqueueJob(tx, { shopId: null, kind, payload: {}, runAt: new Date(ctx.now().getTime() + RECURRING_JOBS[kind]) }),
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
