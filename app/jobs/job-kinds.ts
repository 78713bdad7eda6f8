import { z } from "zod";

/** Job payloads hold ids only, never personal data: jobs outlive erasures as failed rows. */
export const JOB_PAYLOADS = {
  execute_request: z.object({ shopId: z.string(), requestId: z.string() }),
  purge_shop: z.object({ shopDomain: z.string(), shopifyShopId: z.string().nullable(), webhookId: z.string() }),
  purge_expired_exports: z.object({}),
} as const;

export type JobKind = keyof typeof JOB_PAYLOADS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_PAYLOADS)[K]>;

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOB_PAYLOADS, kind);
}
