import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db-types";
import type { Keyring } from "../security/keyring";
import { shopChainHead } from "../services/audit-log.server";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import { orderHistoryCoverage } from "../domain/access-requirements";
import { customerGid } from "../shopify-admin/customer-record.server";
import { fetchOrdersByIds } from "../shopify-admin/orders-by-id.server";
import { customerOrders, jsonLines, type CollectedOrder } from "./customer-orders.server";
import { readEncryptedFile, writeEncryptedFile } from "./encrypted-file.server";
import { collectAppRecords } from "./app-records.server";
import { writeExportFile, type ExportStorage, type WrittenExport } from "./export-store.server";
import type { ExportCoverage } from "./export-model";
import { buildExportPackage } from "./package-builder.server";

type Request = NonNullable<Awaited<ReturnType<Db["privacyRequest"]["findFirst"]>>>;

async function* asJsonLines(orders: AsyncIterable<CollectedOrder>) {
  for await (const order of orders) yield Buffer.from(`${JSON.stringify(order)}\n`);
}

/**
 * Builds the export package for an access or portability request and writes it, encrypted, to
 * the shop's export folder. The orders are the customer's (paged or bulk) and those Shopify named
 * in the data request (`orders_requested`, fetched by id: an email-only customer's only orders),
 * each once. They are fetched once into an encrypted spool file (no plaintext on disk, flat
 * memory), then read again for each file of the package. What the store let Shopify show (the
 * 60-day window without read_all_orders, requested orders Shopify did not return) is said in the
 * package itself. Nothing refers to the file yet: the caller records it (recordExport) in the
 * transaction that completes the request.
 */
export async function writeCustomerExport(
  deps: { db: Db; keyring: Keyring; exports: ExportStorage; admin: AdminClient; now: Date },
  request: Request,
): Promise<{ file: WrittenExport; orderCount: number; coverage: ExportCoverage }> {
  const { data: installation } = await deps.admin.request("AppAccessScopes", {});
  const history = orderHistoryCoverage(
    installation.currentAppInstallation.accessScopes.map((scope) => scope.handle),
    deps.now,
  );
  const customer = request.customerId
    ? (
        await deps.admin.request("CustomerProfile", {
          customerId: customerGid(request.customerId),
          addressesFirst: 250,
          metafieldsFirst: 250,
        })
      ).data.customer
    : null;
  const requested = await fetchOrdersByIds(deps.admin, requestedOrderIds(request));

  const spoolId = randomUUID();
  const spool = path.resolve(deps.exports.dir, "spool", `${spoolId}.pdx`);
  await mkdir(path.dirname(spool), { recursive: true, mode: 0o700 });
  try {
    let orderCount = 0;
    const theirs =
      customer && request.customerId
        ? customerOrders(deps.admin, request.customerId, Number(customer.numberOfOrders ?? 0), {
            bulkAboveOrders: deps.exports.bulkAboveOrders,
          })
        : null;
    const everyOrderOnce = async function* () {
      const seen = new Set<string>();
      if (theirs) {
        for await (const order of theirs) {
          seen.add(order.id);
          orderCount += 1;
          yield order;
        }
      }
      for (const order of requested.orders) {
        if (seen.has(order.id)) continue;
        orderCount += 1;
        yield order as CollectedOrder;
      }
    };
    await writeEncryptedFile(spool, spoolId, deps.keyring, asJsonLines(everyOrderOnce()));
    const coverage: ExportCoverage = {
      orders: history.complete ? "complete" : "last_60_days",
      ordersSince: history.complete ? null : history.since.toISOString(),
      note: history.complete ? null : history.reason,
      requestedOrdersNotFound: requested.notFound,
    };

    const shop = await deps.db.shop.findUniqueOrThrow({
      where: { id: request.shopId },
      select: { domain: true },
    });
    const zip = buildExportPackage({
      shop: shop.domain,
      generatedAt: deps.now,
      request: {
        id: request.id,
        type: request.type as "access" | "portability",
        receivedAt: request.receivedAt.toISOString(),
        regime: request.regime as "gdpr" | "ccpa",
      },
      customer,
      orders: async function* () {
        for await (const line of jsonLines(readEncryptedFile(spool, spoolId, deps.keyring)))
          yield JSON.parse(line) as CollectedOrder;
      },
      coverage,
      appRecords: await collectAppRecords(deps.db, deps.keyring, request),
      // An anchor the shopper keeps: the shop can later prove its audit chain still holds it.
      auditChainHead: await shopChainHead(deps.db, request.shopId),
    });
    const file = await writeExportFile(deps.keyring, deps.exports, {
      shopId: request.shopId,
      requestId: request.id,
      fileName: `privacy-export-${request.id}.zip`,
      source: zip,
    });
    return { file, orderCount, coverage };
  } finally {
    await rm(spool, { force: true });
  }
}

/** The orders Shopify named in the data request (ids only, stored at intake). */
function requestedOrderIds(request: Request): string[] {
  if (!request.ordersRequested || request.source !== "shopify_webhook" || request.type === "erasure")
    return [];
  const ids = JSON.parse(request.ordersRequested) as unknown;
  return Array.isArray(ids)
    ? ids.filter((id): id is string => typeof id === "string" && /^\d+$/.test(id))
    : [];
}
