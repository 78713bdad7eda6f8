import { IllegalTransitionError } from "./errors";

export const REQUEST_TYPES = ["access", "portability", "rectification", "erasure", "sale_opt_out"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_SOURCES = [
  "shopify_webhook",
  "storefront",
  "customer_account",
  "merchant",
  "gpc",
] as const;
export type RequestSource = (typeof REQUEST_SOURCES)[number];

export const REQUEST_STATUSES = [
  "received",
  "awaiting_verification",
  "pending_review",
  "approved",
  "in_progress",
  "completed",
  "denied",
  "canceled",
  "failed",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_EVENTS = [
  "request_verification",
  "verify",
  "approve",
  "deny",
  "cancel",
  "start",
  "complete",
  "fail",
  "return_to_review",
  "retry",
  "supersede",
] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

/**
 * The only place that says which status an event leads to. A pair that is absent is illegal.
 * `failed` is retryable: `retry` puts the request back in the queue as approved. `fail` is open to
 * approved requests too: work can end for good before it starts (no offline token, a permanent
 * Shopify error). `supersede` is the system closing a request that can no longer be carried out
 * because the person was erased (customers/redact); staff cancel, they never supersede.
 */
export const TRANSITIONS = {
  received: {
    request_verification: "awaiting_verification",
    verify: "pending_review",
    cancel: "canceled",
    supersede: "canceled",
  },
  awaiting_verification: {
    verify: "pending_review",
    deny: "denied",
    cancel: "canceled",
    supersede: "canceled",
  },
  pending_review: { approve: "approved", deny: "denied", cancel: "canceled", supersede: "canceled" },
  approved: { start: "in_progress", cancel: "canceled", fail: "failed", supersede: "canceled" },
  in_progress: {
    complete: "completed",
    fail: "failed",
    return_to_review: "pending_review",
    supersede: "canceled",
  },
  failed: { retry: "approved", cancel: "canceled", supersede: "canceled" },
  completed: {},
  denied: {},
  canceled: {},
} as const satisfies Record<RequestStatus, Partial<Record<RequestEvent, RequestStatus>>>;

export const TERMINAL_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter(
  (status) => Object.keys(TRANSITIONS[status]).length === 0,
);

/** Statuses in which the shopper is still waiting, so the deadline is running. */
export const OPEN_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter(
  (status) => !TERMINAL_STATUSES.includes(status),
);

export function nextStatus(from: RequestStatus, event: RequestEvent): RequestStatus {
  const to = (TRANSITIONS[from] as Partial<Record<RequestEvent, RequestStatus>>)[event];
  if (!to) throw new IllegalTransitionError(from, event);
  return to;
}

export function allowedEvents(from: RequestStatus): RequestEvent[] {
  return Object.keys(TRANSITIONS[from]) as RequestEvent[];
}

export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * Where a new request starts. Shopify verified the shopper before sending customers/redact and
 * the platform mandates it, so it is approved at once and the worker executes it; every other
 * request waits for the merchant, and an unverified storefront request first for verification.
 */
export function initialStatus(input: {
  source: RequestSource;
  type: RequestType;
  verified: boolean;
}): RequestStatus {
  if (input.source === "shopify_webhook" && input.type === "erasure") return "approved";
  if (!input.verified) return "awaiting_verification";
  return "pending_review";
}

export function isRequestType(value: string): value is RequestType {
  return (REQUEST_TYPES as readonly string[]).includes(value);
}

export function isRequestStatus(value: string): value is RequestStatus {
  return (REQUEST_STATUSES as readonly string[]).includes(value);
}
