import type { Db } from "../db-types";
import { isTerminal, type RequestStatus } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { redactCustomerData, purgeShop } from "../services/redaction.server";
import { transitionRequest } from "../services/requests.server";
import { JOB_PAYLOADS, type JobKind, type JobPayload } from "./job-kinds";

export interface JobContext {
  db: Db;
  keyring: Keyring;
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
  await ctx.db.$transaction(async (tx) => {
    const request = await tx.privacyRequest.findFirst({ where: { id: requestId, shopId } });
    if (!request || isTerminal(request.status as RequestStatus)) return;
    if (request.type !== "erasure") {
      throw new PermanentJobError(`Executing ${request.type} requests against Shopify is not available in this version`);
    }
    if (request.status === "approved") {
      await transitionRequest(tx, ctx.keyring, { shopId, requestId, event: "start", actor: WORKER, now: ctx.now() });
    }
    const redacted = await redactCustomerData(tx, {
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
  });
};

const purgeShopHandler: JobHandler<"purge_shop"> = async (ctx, payload) => {
  await purgeShop(ctx.db, { ...payload, now: ctx.now() });
};

export const JOB_HANDLERS: JobHandlers = {
  execute_request: executeRequest,
  purge_shop: purgeShopHandler,
};

export function parseJobPayload<K extends JobKind>(kind: K, raw: string): JobPayload<K> {
  const result = JOB_PAYLOADS[kind].safeParse(JSON.parse(raw));
  if (!result.success) throw new PermanentJobError(`Malformed ${kind} payload: ${result.error.message}`);
  return result.data as JobPayload<K>;
}
