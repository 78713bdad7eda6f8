import { purgeExpiredExports } from "../exports/export-store.server";
import type { JobKind, JobPayload } from "../queue/job-kinds";
import { flagDeadlines } from "../services/deadline-watch.server";
import { planDigests, sendDigest } from "../services/digest.server";
import type { ExecutionContext } from "../services/execution/execution-context";
import { executeRequest, failRequestForGood } from "../services/execution/request-execution.server";
import { requeueStrandedRequests } from "../services/execution/request-watchdog.server";
import type { Mailer } from "../services/email/mail-transport.server";
import { markEmailFailed, sendQueuedEmail } from "../services/email/send-email.server";
import { storefrontHousekeeping } from "../services/storefront/storefront-housekeeping.server";
import { lookupGaveUp, lookUpStorefrontRequest } from "../services/storefront/storefront-lookup.server";
import { purgeShopEverywhere, requeueStrandedPurges } from "../services/redaction.server";

/**
 * What a job runs with: the executors' context (database, keys, export storage, Admin API, clock)
 * and the mail server, null until SMTP_URL is set.
 */
export type JobContext = ExecutionContext & { mail: Mailer | null };

export interface JobHandler<K extends JobKind> {
  run: (ctx: JobContext, payload: JobPayload<K>) => Promise<void>;
  /** The job ended for good without succeeding: whoever waits on it is told, with why. */
  onGiveUp?: (ctx: JobContext, payload: JobPayload<K>, reason: string) => Promise<void>;
}

export type JobHandlers = { [K in JobKind]: JobHandler<K> };

/** Each job kind's service. The worker dispatches by kind and knows nothing of what a kind means. */
export const JOB_HANDLERS: JobHandlers = {
  execute_request: {
    run: executeRequest,
    onGiveUp: failRequestForGood,
  },
  purge_shop: {
    run: async (ctx, payload) => {
      await purgeShopEverywhere(ctx.db, ctx.exports, { ...payload, now: ctx.now() });
    },
  },
  purge_expired_exports: {
    run: async (ctx) => {
      await purgeExpiredExports(ctx.db, ctx.keyring, ctx.exports, ctx.now());
    },
  },
  check_deadlines: {
    run: async (ctx) => {
      await flagDeadlines(ctx.db, ctx.keyring, ctx.now());
    },
  },
  watch_requests: {
    run: async (ctx) => {
      await requeueStrandedRequests(ctx.db, ctx.keyring, ctx.now());
      await requeueStrandedPurges(ctx.db, ctx.now());
    },
  },
  storefront_lookup: {
    run: lookUpStorefrontRequest,
    onGiveUp: lookupGaveUp,
  },
  plan_digests: {
    run: async (ctx) => {
      await planDigests(ctx.db, ctx.now());
    },
  },
  send_digest: {
    run: async (ctx, payload) => {
      await sendDigest(ctx, payload);
    },
  },
  send_email: {
    run: sendQueuedEmail,
    onGiveUp: markEmailFailed,
  },
  storefront_housekeeping: {
    run: async (ctx) => {
      await storefrontHousekeeping(ctx.db, ctx.keyring, ctx.now());
    },
  },
};
