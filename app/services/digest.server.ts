import type { Db } from "../db-types";
import {
  buildDigest,
  digestDay,
  digestHorizon,
  digestTime,
  isEmptyDigest,
  type Digest,
} from "../domain/digest";
import { OPEN_STATUSES } from "../domain/request-lifecycle";
import { teamEmailLanguageOf } from "../domain/team-email-texts";
import { enqueueJob } from "../queue/job-queue.server";
import { renderDigestEmail } from "./email/digest-email";
import type { Mailer } from "./email/mail-transport.server";

/** One shop's digest as of `now`: its own open requests only, overdue first. */
export async function digestFor(db: Db, shopId: string, now: Date): Promise<Digest> {
  const open = await db.privacyRequest.findMany({
    where: { shopId, status: { in: [...OPEN_STATUSES] }, dueAt: { lte: digestHorizon(now) } },
    select: { id: true, type: true, status: true, dueAt: true },
  });
  return buildDigest(open, now);
}

/**
 * The recurring planner (hourly): once the UTC day's digest hour has come, every installed shop
 * with notification addresses and something due gets one send_digest job for the day. The
 * DigestRun row (shop, day) is written in the same transaction as the job, so a second run, or a
 * second worker, plans nothing more. Returns the shops planned.
 */
export async function planDigests(db: Db, now: Date): Promise<string[]> {
  if (!digestTime(now)) return [];
  const day = digestDay(now);
  const shops = await db.shop.findMany({
    where: {
      uninstalledAt: null,
      settings: { is: { notificationEmails: { not: "[]" } } },
      digestRuns: { none: { day } },
      requests: { some: { status: { in: [...OPEN_STATUSES] }, dueAt: { lte: digestHorizon(now) } } },
    },
    select: { id: true },
  });
  const planned: string[] = [];
  for (const shop of shops) {
    const created = await db.$transaction(async (tx) => {
      // Another worker may plan the same shop at the same moment: the (shop, day) key lets one win.
      if (await tx.digestRun.findUnique({ where: { shopId_day: { shopId: shop.id, day } } })) return false;
      await tx.digestRun.create({ data: { shopId: shop.id, day, createdAt: now } });
      await enqueueJob(tx, {
        shopId: shop.id,
        kind: "send_digest",
        payload: { shopId: shop.id, day },
        runAt: now,
      });
      return true;
    });
    if (created) planned.push(shop.id);
  }
  return planned;
}

/**
 * The send_digest job: the shop's digest as it stands now, to the notification addresses as they
 * stand now (one message, every address a recipient), in the shop's team email language. Nothing is sent when nothing is due any
 * more, the addresses were removed, or the app was uninstalled. Without a mail server the job
 * ends quietly (nothing could be sent, and retrying cannot change that); a mail server that
 * refuses throws, and the queue retries with backoff.
 */
export async function sendDigest(
  ctx: { db: Db; mail: Mailer | null; now: () => Date },
  payload: { shopId: string; day: string },
): Promise<{ sent: boolean; to: string[] }> {
  const shop = await ctx.db.shop.findFirst({
    where: { id: payload.shopId, uninstalledAt: null },
    include: { settings: true },
  });
  const to = shop?.settings ? (JSON.parse(shop.settings.notificationEmails) as string[]) : [];
  if (!shop || to.length === 0 || !ctx.mail) return { sent: false, to };
  const digest = await digestFor(ctx.db, shop.id, ctx.now());
  if (isEmptyDigest(digest)) return { sent: false, to };
  const rendered = await renderDigestEmail({
    language: teamEmailLanguageOf(shop.settings?.teamEmailLanguage),
    store: shop.name ?? shop.domain,
    digest,
  });
  await ctx.mail.send({ to: to.join(", "), ...rendered });
  return { sent: true, to };
}
