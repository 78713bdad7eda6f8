import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./audit-chain";

/** What a shopper may ask to have corrected, each checked before it reaches Shopify. */
export const rectificationChanges = z
  .object({
    firstName: z.string().trim().min(1).max(255).optional(),
    lastName: z.string().trim().min(1).max(255).optional(),
    email: z.string().trim().email("must be an email address").optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[\d\s().-]{7,20}$/, "must be a phone number")
      .optional(),
  })
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, { message: "name at least one field to correct" });

export type RectificationChanges = z.infer<typeof rectificationChanges>;

/** The personal fields of a Shopify customer that a merchant reviews before an erasure or a correction. */
export interface CustomerRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  addresses: Record<string, unknown>[];
}

/**
 * A fingerprint of the record the merchant approved. The worker compares it with the record at
 * execution time and sends the request back to review if it changed. A customer that does not
 * exist has a fingerprint too, so "it was already gone" can be approved.
 */
export function snapshotHash(record: CustomerRecord | null): string {
  return createHash("sha256").update(canonicalJson(record)).digest("hex");
}

/** Field by field, what the correction changes: for the audit trail and the merchant. */
export function rectificationDiff(before: CustomerRecord, changes: RectificationChanges) {
  return (Object.keys(changes) as (keyof RectificationChanges)[])
    .map((field) => ({ field, before: before[field], after: changes[field]! }))
    .filter((change) => change.before !== change.after);
}
