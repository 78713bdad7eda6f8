import { z } from "zod";

/** Job payloads hold ids only, never personal data: jobs outlive erasures as failed rows. */
export const JOB_PAYLOADS = {
  execute_request: z.object({ shopId: z.string(), requestId: z.string() }),
  purge_shop: z.object({
    shopDomain: z.string(),
    shopifyShopId: z.string().nullable(),
    webhookId: z.string(),
  }),
  purge_expired_exports: z.object({}),
  check_deadlines: z.object({}),
  watch_requests: z.object({}),
  /** A storefront request's look-up in Shopify (is the address a customer? the account's address?). */
  storefront_lookup: z.object({ shopId: z.string(), requestId: z.string() }),
  /** One OutboundEmail row: its recipient and content are rendered from sealed data when it runs. */
  send_email: z.object({ shopId: z.string(), emailId: z.string() }),
  /** Expires unverified storefront requests, drops spent rate-limit counters and form tokens. */
  storefront_housekeeping: z.object({}),
  /** Plans each shop's daily deadline digest once its hour has come (app/services/digest.server.ts). */
  plan_digests: z.object({}),
  /** One shop's digest for one UTC day, to its notification addresses. */
  send_digest: z.object({ shopId: z.string(), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
} as const;

/** Jobs with no trigger of their own: each run books the next one, and the worker makes sure one exists. */
export const RECURRING_JOBS = {
  purge_expired_exports: 60 * 60_000,
  check_deadlines: 15 * 60_000,
  watch_requests: 5 * 60_000,
  storefront_housekeeping: 15 * 60_000,
  plan_digests: 60 * 60_000,
} as const satisfies Partial<Record<keyof typeof JOB_PAYLOADS, number>>;

export type RecurringJobKind = keyof typeof RECURRING_JOBS;

export type JobKind = keyof typeof JOB_PAYLOADS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>;

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOB_PAYLOADS, kind);
}

/** A job's payload as its kind defines it; a malformed one can never succeed, so it is permanent. */
export function parseJobPayload<K extends JobKind>(kind: K, raw: string): JobPayload<K> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PermanentJobError(`Malformed ${kind} payload: not JSON`);
  }
  const result = JOB_PAYLOADS[kind].safeParse(json);
  if (!result.success) throw new PermanentJobError(`Malformed ${kind} payload: ${result.error.message}`);
  return result.data as JobPayload<K>;
}

/** A failure that retrying cannot fix: the job is marked failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}
