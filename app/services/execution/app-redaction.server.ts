import { removeExportFiles } from "../../exports/export-store.server";
import { transitionRequest } from "../requests.server";
import { supersedeOpenRequests } from "../requests.server";
import { redactCustomerData } from "../redaction.server";
import type { ExecutionContext } from "./execution-context";
import { isExecutable, WORKER, type RequestRow } from "./request-steps.server";

export const SUPERSEDED_BY_ERASURE =
  "The customer's personal data was erased, so this request can no longer be carried out";

/**
 * Erases what the app holds on the request's customer: customers/redact (Shopify erases its own
 * data and tells us to erase ours), and the last step of a merchant-approved erasure. Start,
 * redaction, closing the person's other open requests and completion are one transaction, so a
 * crash leaves the request approved and the retry does it all. Nothing that could bring the data
 * back stays open: an access request approved a minute ago is superseded here, and its export,
 * if one was already built, is deleted with the rest.
 */
export async function redactAppData(
  ctx: ExecutionContext,
  request: RequestRow,
  shopify?: Record<string, unknown>,
): Promise<void> {
  const { shopId, id: requestId } = request;
  const exportPaths = await ctx.db.$transaction(async (tx) => {
    const current = await tx.privacyRequest.findFirst({ where: { id: requestId, shopId } });
    if (!current || !isExecutable(current.status)) return [];
    const move = (event: "start" | "complete", data?: Record<string, unknown>) =>
      transitionRequest(tx, ctx.keyring, { shopId, requestId, event, actor: WORKER, now: ctx.now(), data });
    if (current.status === "approved") await move("start");
    const redaction = await redactCustomerData(tx, {
      shopId,
      customerId: current.customerId,
      emailHash: current.emailHash,
      subjectIds: current.subjectId ? [current.subjectId] : [],
      now: ctx.now(),
    });
    const superseded = await supersedeOpenRequests(tx, ctx.keyring, {
      shopId,
      requestIds: redaction.requestIds.filter((id) => id !== requestId),
      reason: SUPERSEDED_BY_ERASURE,
      actor: WORKER,
      now: ctx.now(),
    });
    await move("complete", {
      redacted: redaction.counts,
      supersededRequests: superseded,
      // The orders Shopify named in customers/redact: ids only, kept as the receipt of what was asked.
      ...(current.ordersRequested ? { ordersToRedact: JSON.parse(current.ordersRequested) as string[] } : {}),
      ...(shopify ? { shopify } : {}),
    });
    return redaction.exportPaths;
  });
  await removeExportFiles(ctx.exports, exportPaths);
}
