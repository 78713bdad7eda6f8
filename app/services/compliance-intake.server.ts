import type { Db, Tx } from "../db-types";
import { isUniqueViolation } from "../db-types";
import type { CompliancePayload } from "../domain/compliance-payloads";
import { enqueueJob } from "../jobs/queue.server";
import type { Keyring } from "../security/keyring";
import { createRequest } from "./requests.server";
import { ensureShop } from "./shops.server";
import { sealFor } from "./subjects.server";

export interface DeliveryMeta {
  webhookId: string;
  shop: string;
  apiVersion: string;
  eventId?: string | null;
  triggeredAt?: string | null;
}

export type IntakeOutcome =
  | { status: "recorded"; requestId: string | null; jobId: string | null }
  | { status: "duplicate"; reason: "webhook_id" | "data_request_id"; requestId: string | null };

/**
 * Records one compliance delivery: the delivery row, the privacy request and its job are written
 * in one transaction, and the caller answers 2xx only after it commits, so an acknowledged
 * webhook is never lost. A redelivery (same webhook id), or the same data request under a new
 * webhook id, changes nothing. A concurrent duplicate loses the unique-key race and, retried,
 * finds the winner's rows.
 */
export async function ingestComplianceWebhook(
  db: Db,
  keyring: Keyring,
  meta: DeliveryMeta,
  compliance: CompliancePayload,
  now: Date,
): Promise<IntakeOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction((tx) => ingestOnce(tx, keyring, meta, compliance, now));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/** The legal clock starts when Shopify saw the request, if that is known and plausible. */
function receivedAtOf(meta: DeliveryMeta, now: Date): Date {
  const triggered = meta.triggeredAt ? new Date(meta.triggeredAt) : null;
  return triggered && !Number.isNaN(triggered.getTime()) && triggered <= now ? triggered : now;
}

async function ingestOnce(
  tx: Tx,
  keyring: Keyring,
  meta: DeliveryMeta,
  { topic, payload }: CompliancePayload,
  now: Date,
): Promise<IntakeOutcome> {
  const seen = await tx.webhookDelivery.findUnique({ where: { webhookId: meta.webhookId }, select: { requestId: true } });
  if (seen) return { status: "duplicate", reason: "webhook_id", requestId: seen.requestId };
  if (topic === "shop/redact" && (await alreadyPurgedFor(tx, meta))) {
    return { status: "duplicate", reason: "webhook_id", requestId: null };
  }

  const shop = await ensureShop(tx, meta.shop, payload.shop_id);
  const delivery = {
    webhookId: meta.webhookId,
    shopId: shop.id,
    topic,
    apiVersion: meta.apiVersion,
    eventId: meta.eventId ?? null,
    triggeredAt: meta.triggeredAt && !Number.isNaN(Date.parse(meta.triggeredAt)) ? new Date(meta.triggeredAt) : null,
    receivedAt: now,
  };

  if (topic === "shop/redact") {
    const job = await enqueueJob(tx, {
      shopId: shop.id,
      kind: "purge_shop",
      payload: { shopDomain: meta.shop, shopifyShopId: payload.shop_id, webhookId: meta.webhookId },
    });
    await tx.webhookDelivery.create({ data: { ...delivery, outcome: "purge_scheduled", payload: JSON.stringify(payload) } });
    return { status: "recorded", requestId: null, jobId: job.id };
  }

  if (topic === "customers/data_request") {
    const existing = await tx.privacyRequest.findUnique({
      where: { shopId_shopifyDataRequestId: { shopId: shop.id, shopifyDataRequestId: payload.data_request.id } },
      select: { id: true, subjectId: true },
    });
    if (existing) {
      await tx.webhookDelivery.create({
        data: { ...delivery, outcome: "duplicate_data_request", requestId: existing.id, subjectId: existing.subjectId },
      });
      return { status: "duplicate", reason: "data_request_id", requestId: existing.id };
    }
  }

  const { customer } = payload;
  const { request, subject } = await createRequest(
    tx,
    keyring,
    {
      shopId: shop.id,
      type: topic === "customers/data_request" ? "access" : "erasure",
      source: "shopify_webhook",
      regime: "gdpr",
      verified: true,
      receivedAt: receivedAtOf(meta, now),
      customerId: customer.id,
      email: customer.email,
      phone: customer.phone,
      shopifyDataRequestId: topic === "customers/data_request" ? payload.data_request.id : null,
      ordersRequested: topic === "customers/data_request" ? payload.orders_requested : payload.orders_to_redact,
    },
    "shopify",
  );
  const job =
    request.status === "approved"
      ? await enqueueJob(tx, { shopId: shop.id, kind: "execute_request", payload: { shopId: shop.id, requestId: request.id } })
      : null;
  await tx.webhookDelivery.create({
    data: {
      ...delivery,
      outcome: "request_created",
      requestId: request.id,
      subjectId: subject.id,
      payload: sealFor(subject, "delivery-payload", JSON.stringify(payload)),
    },
  });
  return { status: "recorded", requestId: request.id, jobId: job?.id ?? null };
}

async function alreadyPurgedFor(tx: Tx, meta: DeliveryMeta): Promise<boolean> {
  const receipt = await tx.shopRedactionReceipt.findUnique({ where: { shopDomain: meta.shop }, select: { webhookIds: true } });
  return receipt ? (JSON.parse(receipt.webhookIds) as string[]).includes(meta.webhookId) : false;
}
