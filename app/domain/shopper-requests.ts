import { z } from "zod";
import type { Regime } from "./deadlines";
import { rectificationChanges } from "./rectification";
import { REQUEST_TYPES, type RequestStatus, type RequestType } from "./request-lifecycle";

/**
 * A logged-in customer's view of their own requests (the customer account page, README
 * "Customer accounts"): who they are comes only from the session token Shopify signed, what they
 * may see is a plain-words reduction of the request's status and audit trail, never a staff
 * member's name, an internal error or another person's data.
 */

/** `gid://shopify/Customer/123` → `123`; anything else (another resource, a bare number) → null. */
export function customerIdFromSub(sub: unknown): string | null {
  if (typeof sub !== "string") return null;
  const match = /^gid:\/\/shopify\/Customer\/([1-9]\d{0,19})$/.exec(sub);
  return match ? match[1]! : null;
}

/**
 * The shop a session token names. Customer account extensions' tokens say `x.myshopify.com`
 * (Shopify's session token docs); the admin's say `https://x.myshopify.com`. Any other host
 * names no shop.
 */
export function shopFromDest(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  const match = /^(?:https:\/\/)?([a-z0-9][a-z0-9-]{0,62}\.myshopify\.com)\/?$/.exec(dest);
  return match ? match[1]! : null;
}

/**
 * Which law's deadline a customer account request runs under. The page sends the country
 * Shopify's localization reports for the customer; only the United States means CCPA. Anything
 * else, or nothing, is GDPR: its one month is the shorter deadline, so a wrong guess is never late.
 */
export function regimeForCountry(country: string | null | undefined): Regime {
  return country?.toUpperCase() === "US" ? "ccpa" : "gdpr";
}

/** Control, bidi and other format characters: nothing a person types into a message needs them. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;
export const MAX_SHOPPER_MESSAGE = 2000;

const safeText = (max: number) =>
  z
    .string()
    .transform((value) => value.replace(/\r\n/g, "\n").trim())
    .refine((value) => value.length <= max, `At most ${max} characters`)
    .refine((value) => !FORBIDDEN_IN_TEXT.test(value), "Contains control or direction characters");

/** What the page posts to file a request. Unknown keys are refused, not ignored. */
export const shopperRequestInput = z
  .object({
    type: z.enum(REQUEST_TYPES, { errorMap: () => ({ message: "Choose what you are asking for" }) }),
    message: safeText(MAX_SHOPPER_MESSAGE).optional(),
    corrections: rectificationChanges
      .refine(
        (changes) => Object.values(changes).every((value) => !FORBIDDEN_IN_TEXT.test(value)),
        "Contains control or direction characters",
      )
      .optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .optional(),
    /** The page's language (the customer's, in their account): what the app writes to them in. */
    locale: z
      .string()
      .regex(/^[A-Za-z]{2}(?:-[A-Za-z0-9]{2,8})?$/)
      .transform((value) => value.slice(0, 2).toLowerCase())
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.type === "rectification" && !input.corrections)
      ctx.addIssue({ code: "custom", path: ["corrections"], message: "Say what should be corrected" });
    if (input.type !== "rectification" && input.corrections)
      ctx.addIssue({ code: "custom", path: ["corrections"], message: "Only a correction has corrections" });
  });
export type ShopperRequestInput = z.infer<typeof shopperRequestInput>;

/** What the customer is told about where their request stands. */
export const SHOPPER_PHASES = [
  "confirm",
  "in_review",
  "in_progress",
  "delayed",
  "completed",
  "denied",
  "canceled",
] as const;
export type ShopperPhase = (typeof SHOPPER_PHASES)[number];

/**
 * A failed request is the store's problem to fix (staff retry it), not the customer's: they are
 * told it is delayed, never shown the error.
 */
export function shopperPhase(status: RequestStatus): ShopperPhase {
  switch (status) {
    case "received":
    case "pending_review":
    case "approved":
      return "in_review";
    case "awaiting_verification":
      return "confirm";
    case "in_progress":
      return "in_progress";
    case "failed":
      return "delayed";
    case "completed":
      return "completed";
    case "denied":
      return "denied";
    case "canceled":
      return "canceled";
  }
}

export type ShopperHistoryKind =
  | "received"
  | "confirmed"
  | "approved"
  | "started"
  | "extended"
  | "completed"
  | "denied"
  | "canceled"
  | "closed"
  | "export_ready"
  | "export_expired"
  | "downloaded";

export interface ShopperHistoryEntry {
  kind: ShopperHistoryKind;
  at: string;
  /** Denied or extended: the reason the merchant gave for the customer. */
  reason?: string;
  /** Extended: the new deadline. */
  dueAt?: string;
}

const ACTION_KINDS: Record<string, ShopperHistoryKind> = {
  "request.received": "received",
  "request.verify": "confirmed",
  "request.approve": "approved",
  "request.start": "started",
  "request.deadline_extended": "extended",
  "request.complete": "completed",
  "request.deny": "denied",
  "request.cancel": "canceled",
  "request.supersede": "closed",
  "export.created": "export_ready",
  "export.expired": "export_expired",
};

/**
 * The audit trail in plain words, oldest first. Internal steps (failures, retries, the
 * watchdog, deadline alerts, staff downloads) are left out; only a download by the customer
 * themself is shown. A request carried out twice (a retry) shows "started" once.
 */
export function shopperHistory(
  events: { action: string; actor: string; occurredAt: Date; data: Record<string, unknown> }[],
): ShopperHistoryEntry[] {
  const entries: ShopperHistoryEntry[] = [];
  for (const event of events) {
    const kind =
      event.action === "export.downloaded"
        ? event.actor.startsWith("requester:")
          ? "downloaded"
          : null
        : ACTION_KINDS[event.action];
    if (!kind) continue;
    if (kind === "started" && entries.some((entry) => entry.kind === "started")) continue;
    const entry: ShopperHistoryEntry = { kind, at: event.occurredAt.toISOString() };
    if ((kind === "denied" || kind === "extended") && typeof event.data.reason === "string")
      entry.reason = event.data.reason;
    if (kind === "extended" && typeof event.data.to === "string") entry.dueAt = event.data.to;
    entries.push(entry);
  }
  return entries;
}

/** Exports a requester may take home: access and portability only. */
export function deliversExport(type: RequestType): boolean {
  return type === "access" || type === "portability";
}
