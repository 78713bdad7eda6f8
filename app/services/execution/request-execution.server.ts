import { AdminApiError, isAccessRefusal } from "../../shopify-admin/admin-client.server";
import { BulkExportError } from "../../exports/customer-orders.server";
import { PermanentJobError } from "../../queue/job-kinds";
import { executeAccessExport } from "./access-export.server";
import { redactAppData } from "./app-redaction.server";
import type { ExecutionContext } from "./execution-context";
import { executeRectification } from "./rectification.server";
import { failRequest, loadExecutable, type RequestRow } from "./request-steps.server";
import { executeSaleOptOut } from "./sale-opt-out.server";
import { executeShopifyErasure } from "./shopify-erasure.server";

export type Executor = (ctx: ExecutionContext, request: RequestRow) => Promise<void>;

/**
 * The executor for a request. An erasure Shopify sent (customers/redact) is the app's own
 * redaction: Shopify erases its data itself. Every other erasure was approved by the merchant and
 * goes through Shopify's erasure flow first.
 */
export function executorFor(request: { type: string; source: string }): Executor | null {
  switch (request.type) {
    case "access":
    case "portability":
      return executeAccessExport;
    case "erasure":
      return request.source === "shopify_webhook"
        ? (ctx, row) => redactAppData(ctx, row)
        : executeShopifyErasure;
    case "rectification":
      return executeRectification;
    case "sale_opt_out":
      return executeSaleOptOut;
    default:
      return null;
  }
}

/**
 * Carries out an approved request. A request that has moved on (a second run after a lost lease,
 * a request canceled or superseded meanwhile) is left alone. Errors a retry cannot cure become
 * PermanentJobError, so the worker stops at once and the request fails with the reason.
 */
export async function executeRequest(
  ctx: ExecutionContext,
  ids: { shopId: string; requestId: string },
): Promise<void> {
  const request = await loadExecutable(ctx, ids);
  if (!request) return;
  const executor = executorFor(request);
  if (!executor)
    throw new PermanentJobError(`Privacy Desk cannot carry out a request of type ${request.type}`);
  try {
    await executor(ctx, request);
  } catch (error) {
    const permanent = permanentReason(error);
    throw permanent ? new PermanentJobError(permanent) : error;
  }
}

/**
 * The worker gave up on the request's job (retries spent, a permanent error, or its worker died
 * on every attempt): the request fails with the reason, where the merchant sees it and can retry.
 * A request that already moved on is left as it is.
 */
export async function failRequestForGood(
  ctx: ExecutionContext,
  ids: { shopId: string; requestId: string },
  reason: string,
): Promise<void> {
  const request = await loadExecutable(ctx, ids);
  if (request) await failRequest(ctx, request, reason);
}

/** Why an error is final, in words for the merchant; null when a retry may cure it. */
export function permanentReason(error: unknown): string | null {
  if (error instanceof PermanentJobError) return error.message;
  // A scope the store has not granted, or customer data Shopify has not approved: only the
  // merchant (or Shopify) can change that; the message says how.
  if (isAccessRefusal(error)) return error.message;
  if (error instanceof BulkExportError && error.errorCode === "ACCESS_DENIED") {
    return "Shopify refused the bulk export of the customer's orders (ACCESS_DENIED): the store has not granted read_orders, or Shopify has not approved Privacy Desk for its customers' data; the dashboard says which";
  }
  if (error instanceof AdminApiError && error.kind === "graphql") {
    return `Shopify refused the call: ${error.message}`;
  }
  // @shopify/shopify-app-remix's SessionNotFoundError: the shop has no offline session to act with.
  if (error instanceof Error && error.constructor.name === "SessionNotFoundError") {
    return "The store has no offline access token for Privacy Desk (was the app uninstalled?); reinstall the app, then retry";
  }
  return null;
}
