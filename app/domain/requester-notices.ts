import type { RequestSource, RequestStatus, RequestType } from "./request-lifecycle";
import { deliversExport } from "./shopper-requests";

/**
 * The emails a requester gets as their request moves on (issue 11, item 3), besides the receipt
 * and the code the storefront sends. Only people who asked us themselves are written to: a
 * Shopify webhook's request is the merchant's to answer, a merchant-recorded one came by another
 * channel, and a browser's privacy signal asked for nothing to be sent.
 */
export const REQUESTER_NOTICES = [
  "request_extended",
  "request_denied",
  "request_completed",
  "export_ready",
] as const;
export type RequesterNotice = (typeof REQUESTER_NOTICES)[number];

export function writesToRequester(source: string): boolean {
  return (
    source === ("storefront" satisfies RequestSource) ||
    source === ("customer_account" satisfies RequestSource)
  );
}

/**
 * The email a status change owes the requester, or null. A finished access or portability
 * request is told where its export is, unless the shop holds exports until an approver releases
 * them: then the release sends it (exports/export-links.server.ts).
 */
export function noticeForStatus(
  request: { source: string; type: RequestType },
  to: RequestStatus,
  options: { holdsExportsForRelease: boolean },
): RequesterNotice | null {
  if (!writesToRequester(request.source)) return null;
  if (to === "denied") return "request_denied";
  if (to !== "completed") return null;
  if (!deliversExport(request.type)) return "request_completed";
  return options.holdsExportsForRelease ? null : "export_ready";
}
