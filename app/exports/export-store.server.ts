import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db-types";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent, type Actor } from "../services/audit-log.server";
import { readEncryptedFile, writeEncryptedFile } from "./encrypted-file.server";

/** Where encrypted exports live and for how long (EXPORT_DIR, EXPORT_RETENTION_DAYS). */
export interface ExportStorage {
  dir: string;
  retentionDays: number;
  /** Customers with more orders than this are read with a bulk operation (EXPORT_BULK_ABOVE_ORDERS). */
  bulkAboveOrders?: number;
}

const DAY_MS = 86_400_000;
const absolute = (storage: ExportStorage, relative: string) => path.resolve(storage.dir, relative);

/** Encrypts and stores an export, records it, and audits its creation. */
export async function storeExport(
  db: Db,
  keyring: Keyring,
  storage: ExportStorage,
  input: {
    shopId: string;
    requestId: string;
    fileName: string;
    source: AsyncIterable<Uint8Array>;
    actor: Actor;
    now: Date;
  },
) {
  const id = randomUUID();
  const relative = path.join(input.shopId, `${id}.pdx`);
  await mkdir(path.dirname(absolute(storage, relative)), { recursive: true, mode: 0o700 });
  const written = await writeEncryptedFile(absolute(storage, relative), id, keyring, input.source);
  const expiresAt = new Date(input.now.getTime() + storage.retentionDays * DAY_MS);
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.exportFile.create({
        data: {
          id,
          shopId: input.shopId,
          requestId: input.requestId,
          fileName: input.fileName,
          path: relative,
          keyId: written.keyId,
          sizeBytes: written.bytesIn,
          createdAt: input.now,
          expiresAt,
        },
      });
      await appendAuditEvent(tx, keyring, {
        shopId: input.shopId,
        requestId: input.requestId,
        actor: input.actor,
        action: "export.created",
        occurredAt: input.now,
        data: {
          exportId: id,
          fileName: input.fileName,
          sizeBytes: written.bytesIn,
          expiresAt: expiresAt.toISOString(),
        },
      });
      return row;
    });
  } catch (error) {
    await rm(absolute(storage, relative), { force: true });
    throw error;
  }
}

export type ExportDownload =
  | { status: 200; fileName: string; sizeBytes: number; body: AsyncIterable<Buffer> }
  | { status: 404 | 410; message: string };

/**
 * The decrypted content of one of the shop's exports, for an authorised staff member; the
 * download is audited with who asked. An export of another shop is "not found"; an expired
 * one is 410 Gone, since it existed and is deliberately no longer kept.
 */
export async function openExportDownload(
  db: Db,
  keyring: Keyring,
  storage: ExportStorage,
  input: { shopId: string; exportId: string; actor: Actor; now: Date },
): Promise<ExportDownload> {
  const row = await db.exportFile.findFirst({ where: { id: input.exportId, shopId: input.shopId } });
  if (!row) return { status: 404, message: "No such export in this shop" };
  if (row.deletedAt || row.expiresAt <= input.now) {
    return {
      status: 410,
      message: `This export expired on ${row.expiresAt.toISOString().slice(0, 10)} and was deleted; create a new one from the request`,
    };
  }
  await db.$transaction((tx) =>
    appendAuditEvent(tx, keyring, {
      shopId: row.shopId,
      requestId: row.requestId,
      actor: input.actor,
      action: "export.downloaded",
      occurredAt: input.now,
      data: { exportId: row.id },
    }),
  );
  return {
    status: 200,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    body: readEncryptedFile(absolute(storage, row.path), row.id, keyring),
  };
}

/** Deletes the files of the given export rows (already marked deleted or removed). Idempotent. */
export async function removeExportFiles(storage: ExportStorage, relativePaths: string[]): Promise<void> {
  await Promise.all(relativePaths.map((relative) => rm(absolute(storage, relative), { force: true })));
}

/** Retention: every export past its expiry loses its file and is marked deleted, with an audit event. */
export async function purgeExpiredExports(
  db: Db,
  keyring: Keyring,
  storage: ExportStorage,
  now: Date,
): Promise<number> {
  const expired = await db.exportFile.findMany({ where: { deletedAt: null, expiresAt: { lte: now } } });
  for (const row of expired) {
    await removeExportFiles(storage, [row.path]);
    await db.$transaction(async (tx) => {
      const { count } = await tx.exportFile.updateMany({
        where: { id: row.id, deletedAt: null },
        data: { deletedAt: now },
      });
      if (count === 1) {
        await appendAuditEvent(tx, keyring, {
          shopId: row.shopId,
          requestId: row.requestId,
          actor: "system:retention",
          action: "export.expired",
          occurredAt: now,
          data: { exportId: row.id, retentionDays: storage.retentionDays },
        });
      }
    });
  }
  return expired.length;
}

/** Everything a shop's exports occupy on disk (shop/redact). */
export async function removeShopExportDirectory(storage: ExportStorage, shopId: string): Promise<void> {
  await rm(path.resolve(storage.dir, shopId), { recursive: true, force: true });
}
