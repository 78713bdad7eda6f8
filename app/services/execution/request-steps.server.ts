import type { PrivacyRequest } from "@prisma/client";
import type { Tx } from "../../db-types";
import type { RequestEvent } from "../../domain/request-lifecycle";
import type { Actor, AuditEntry } from "../audit-log.server";
import { transitionRequest } from "../requests.server";
import type { ExecutionContext } from "./execution-context";

/** The steps every executor shares: find the work, start it, and record how it ended. */
export type RequestRow = PrivacyRequest;

export const WORKER: Actor = "system:worker";

/** The statuses in which a request has work waiting for the worker. */
export const EXECUTABLE_STATUSES = ["approved", "in_progress"] as const;

export const isExecutable = (status: string) => (EXECUTABLE_STATUSES as readonly string[]).includes(status);

/** The request, in its shop, if it still has work to do; null once it moved on (a late or second run). */
export async function loadExecutable(ctx: ExecutionContext, ids: { shopId: string; requestId: string }) {
  const request = await ctx.db.privacyRequest.findFirst({ where: { id: ids.requestId, shopId: ids.shopId } });
  return request && isExecutable(request.status) ? request : null;
}

export interface Outcome {
  reason?: string;
  data?: Record<string, unknown>;
  pii?: AuditEntry["pii"];
}

/**
 * Moves the request with its audit event, and `alongside` (whatever else this outcome records,
 * first) in the same transaction, so a crash can never keep one without the other.
 */
export async function recordOutcome(
  ctx: ExecutionContext,
  request: RequestRow,
  event: RequestEvent,
  outcome: Outcome = {},
  alongside?: (tx: Tx) => Promise<void>,
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await alongside?.(tx);
    await transitionRequest(tx, ctx.keyring, {
      shopId: request.shopId,
      requestId: request.id,
      actor: WORKER,
      event,
      now: ctx.now(),
      ...outcome,
    });
  });
}

/** The one "start if approved" step: an approved request becomes in_progress before any work. */
export async function startIfApproved(ctx: ExecutionContext, request: RequestRow): Promise<RequestRow> {
  if (request.status !== "approved") return request;
  await recordOutcome(ctx, request, "start");
  return { ...request, status: "in_progress" };
}

/** Work that can never succeed as asked: the request fails for the merchant to see, with why. */
export function failRequest(
  ctx: ExecutionContext,
  request: RequestRow,
  reason: string,
  data?: Record<string, unknown>,
) {
  return recordOutcome(ctx, request, "fail", { reason, data });
}

export async function shopDomainOf(ctx: ExecutionContext, request: RequestRow): Promise<string> {
  const shop = await ctx.db.shop.findUniqueOrThrow({
    where: { id: request.shopId },
    select: { domain: true },
  });
  return shop.domain;
}

/** A mutation's payload is nullable in the schema; Shopify always sends one, so null is worth a retry. */
export function payloadOf<P>(payload: P | null, mutation: string): P {
  if (!payload) throw new Error(`Shopify returned no ${mutation} payload`);
  return payload;
}
