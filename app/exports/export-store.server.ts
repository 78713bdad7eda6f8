import { randomUUID } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Db, Tx } from "../db-types";
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

/** An encrypted export on disk that no row points at yet (see recordExport). */
export interface WrittenExport {
  id: string;
  shopId: string;
  requestId: string;
  fileName: string;
  relativePath: string;
  keyId: string;
  sizeBytes: number;
}

/**
 * Files of one request are named `<request id>.<export id>.pdx` in the shop's folder, so a file
 * written by a run that crashed before recording it can be found and removed by the next run.
 */
const exportFileName = (requestId: string, exportId: string) => `${requestId}.${exportId}.pdx`;

/** Encrypts an export into the shop's folder. Nothing refers to it until recordExport commits. */
export async function writeExportFile(
  keyring: Keyring,
  storage: ExportStorage,
  input: { shopId: string; requestId: string; fileName: string; source: AsyncIterable<Uint8Array> },
): Promise<WrittenExport> {
  const id = randomUUID();
  const relativePath = path.join(input.shopId, exportFileName(input.requestId, id));
  await mkdir(path.dirname(absolute(storage, relativePath)), { recursive: true, mode: 0o700 });
  try {
    const written = await writeEncryptedFile(absolute(storage, relativePath), id, keyring, input.source);
    return {
      id,
      shopId: input.shopId,
      requestId: input.requestId,
      fileName: input.fileName,
      relativePath,
      keyId: written.keyId,
      sizeBytes: written.bytesIn,
    };
  } catch (error) {
    await rm(absolute(storage, relativePath), { force: true });
    throw error;
  }
}

/**
 * Makes a written export real: its row and its `export.created` event, inside the caller's
 * transaction, so the export exists exactly when whatever else the transaction records does.
 */
export async function recordExport(
  tx: Tx,
  keyring: Keyring,
  storage: ExportStorage,
  input: { file: WrittenExport; actor: Actor; now: Date },
) {
  const { file } = input;
  const expiresAt = new Date(input.now.getTime() + storage.retentionDays * DAY_MS);
  const row = await tx.exportFile.create({
    data: {
      id: file.id,
      shopId: file.shopId,
      requestId: file.requestId,
      fileName: file.fileName,
      path: file.relativePath,
      keyId: file.keyId,
      sizeBytes: file.sizeBytes,
      createdAt: input.now,
      expiresAt,
    },
  });
  await appendAuditEvent(tx, keyring, {
    shopId: file.shopId,
    requestId: file.requestId,
    actor: input.actor,
    action: "export.created",
    occurredAt: input.now,
    data: {
      exportId: file.id,
      fileName: file.fileName,
      sizeBytes: file.sizeBytes,
      expiresAt: expiresAt.toISOString(),
    },
  });
  return row;
}

/** Encrypts, stores, records and audits an export in one go (its own transaction). */
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
  const file = await writeExportFile(keyring, storage, input);
  try {
    return await db.$transaction((tx) =>
      recordExport(tx, keyring, storage, { file, actor: input.actor, now: input.now }),
    );
  } catch (error) {
    await removeExportFiles(storage, [file.relativePath]);
    throw error;
  }
}

/**
 * Files of this request's earlier runs that were written but never recorded (the run stopped
 * between the two). Safe to call while no other run of the request is writing (the job's lease).
 */
export async function removeUnrecordedExportFiles(
  db: Db,
  storage: ExportStorage,
  input: { shopId: string; requestId: string },
): Promise<number> {
  const folder = path.resolve(storage.dir, input.shopId);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const mine = names.filter((name) => name.startsWith(`${input.requestId}.`) && name.endsWith(".pdx"));
  if (mine.length === 0) return 0;
  const recorded = new Set(
    (
      await db.exportFile.findMany({
        where: { shopId: input.shopId, requestId: input.requestId },
        select: { path: true },
      })
    ).map((row) => path.basename(row.path)),
  );
  const orphans = mine.filter((name) => !recorded.has(name));
  await removeExportFiles(
    storage,
    orphans.map((name) => path.join(input.shopId, name)),
  );
  return orphans.length;
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
    body: exportContent(keyring, storage, row),
  };
}

/** The decrypted content of a recorded export (its caller has checked who may read it, and audited it). */
export function exportContent(
  keyring: Keyring,
  storage: ExportStorage,
  row: { id: string; path: string },
): AsyncIterable<Buffer> {
  return readEncryptedFile(absolute(storage, row.path), row.id, keyring);
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
