import type { BadgeProps } from "@shopify/polaris";

/** How statuses, types and sources read in the admin. */
export const STATUS_LABEL: Record<string, string> = {
  received: "Received",
  awaiting_verification: "Awaiting verification",
  pending_review: "Pending review",
  approved: "Approved",
  in_progress: "In progress",
  completed: "Completed",
  denied: "Denied",
  canceled: "Canceled",
  failed: "Failed",
};

export const STATUS_TONE: Record<string, BadgeProps["tone"]> = {
  awaiting_verification: "warning",
  pending_review: "attention",
  approved: "info",
  in_progress: "info",
  completed: "success",
  failed: "critical",
};

export const TYPE_LABEL: Record<string, string> = {
  access: "Access",
  portability: "Portability",
  rectification: "Rectification",
  erasure: "Erasure",
  sale_opt_out: "Sale opt-out",
};

export const SOURCE_LABEL: Record<string, string> = {
  shopify_webhook: "Shopify",
  storefront: "Storefront",
  customer_account: "Customer account",
  merchant: "Recorded by staff",
  gpc: "Global Privacy Control",
};

export function deadlineText(dueAt: string, status: string, now: string): string {
  if (["completed", "denied", "canceled"].includes(status)) return "—";
  const days = Math.floor((Date.parse(dueAt) - Date.parse(now)) / 86_400_000);
  if (days < 0) return `${-days} day${days === -1 ? "" : "s"} overdue`;
  return `${days} day${days === 1 ? "" : "s"} left`;
}

export const FIELD_LABEL: Record<string, string> = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
};

/** Who asked: their email, else their Shopify customer id, else why neither is known. */
export function requesterLabel(request: {
  email: string | null;
  customerId: string | null;
  redactedAt: string | null;
}): string {
  if (request.email) return request.email;
  if (request.customerId) return `Customer ${request.customerId}`;
  return request.redactedAt ? "Erased" : "Unknown";
}
