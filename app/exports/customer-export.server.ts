import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db-types";
import type { Keyring } from "../security/keyring";
import { shopChainHead } from "../services/audit-log.server";
import type { AdminClient } from "../shopify-admin/admin-client.server";
import { customerGid } from "../shopify-admin/customer-record.server";
import { customerOrders, jsonLines, type CollectedOrder } from "./customer-orders.server";
import { readEncryptedFile, writeEncryptedFile } from "./encrypted-file.server";
import { collectAppRecords } from "./app-records.server";
import { writeExportFile, type ExportStorage, type WrittenExport } from "./export-store.server";
import { buildExportPackage } from "./package-builder.server";

type Request = NonNullable<Awaited<ReturnType<Db["privacyRequest"]["findFirst"]>>>;

async function* asJsonLines(orders: AsyncIterable<CollectedOrder>) {
  for await (const order of orders) yield Buffer.from(`${JSON.stringify(order)}\n`);
}

/**
 * Builds the export package for an access or portability request and writes it, encrypted, to
 * the shop's export folder. Orders are fetched once into an encrypted spool file (no plaintext
 * on disk, flat memory), then read again for each file of the package. Nothing refers to the
 * file yet: the caller records it (recordExport) in the transaction that completes the request.
 */
export async function writeCustomerExport(
  deps: { db: Db; keyring: Keyring; exports: ExportStorage; admin: AdminClient; now: Date },
  request: Request,
): Promise<{ file: WrittenExport; orderCount: number }> {
  const customer = request.customerId
    ? (
        await deps.admin.request("CustomerProfile", {
          customerId: customerGid(request.customerId),
          addressesFirst: 250,
          metafieldsFirst: 250,
        })
      ).data.customer
    : null;

  const spoolId = randomUUID();
  const spool = path.resolve(deps.exports.dir, "spool", `${spoolId}.pdx`);
  await mkdir(path.dirname(spool), { recursive: true, mode: 0o700 });
  try {
    let orderCount = 0;
    if (customer && request.customerId) {
      const collected = customerOrders(deps.admin, request.customerId, Number(customer.numberOfOrders ?? 0), {
        bulkAboveOrders: deps.exports.bulkAboveOrders,
      });
      const counted = async function* () {
        for await (const order of collected) {
          orderCount += 1;
          yield order;
        }
      };
      await writeEncryptedFile(spool, spoolId, deps.keyring, asJsonLines(counted()));
    } else {
      await writeEncryptedFile(spool, spoolId, deps.keyring, asJsonLines((async function* () {})()));
    }

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
    return { file, orderCount };
  } finally {
    await rm(spool, { force: true });
  }
}
