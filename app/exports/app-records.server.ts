import type { Db } from "../db-types";
import type { Keyring } from "../security/keyring";
import { createSubjectReader } from "../services/subjects.server";
import { exportedActor, type ExportedAppRecords } from "./export-model";

/**
 * What Privacy Desk itself holds about the person behind `request`: every request of theirs in
 * this shop and those requests' audit events, personal data opened with their key.
 */
export async function collectAppRecords(
  db: Db,
  keyring: Keyring,
  request: { id: string; shopId: string; subjectId: string | null },
): Promise<ExportedAppRecords> {
  const rows = await db.privacyRequest.findMany({
    where: {
      shopId: request.shopId,
      OR: [{ id: request.id }, ...(request.subjectId ? [{ subjectId: request.subjectId }] : [])],
    },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
  });
  const read = createSubjectReader(db, keyring);
  const events = await db.auditEvent.findMany({
    where: { shopId: request.shopId, requestId: { in: rows.map((row) => row.id) } },
    orderBy: { seq: "asc" },
  });
  return {
    requests: await Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        type: row.type,
        status: row.status,
        source: row.source,
        regime: row.regime,
        receivedAt: row.receivedAt.toISOString(),
        dueAt: row.dueAt.toISOString(),
        extendedAt: row.extendedAt?.toISOString() ?? null,
        extensionReason: row.extensionReason,
        completedAt: row.completedAt?.toISOString() ?? null,
        email: await read(row.subjectId, "email", row.emailCipher),
        phone: await read(row.subjectId, "phone", row.phoneCipher),
      })),
    ),
    auditEvents: await Promise.all(
      events.map(async (event) => {
        const pii = await read(event.subjectId, "audit-pii", event.piiCipher);
        return {
          seq: event.seq,
          occurredAt: event.occurredAt.toISOString(),
          actor: exportedActor(event.actor),
          action: event.action,
          details: JSON.parse(event.data) as Record<string, unknown>,
          personalData: pii ? (JSON.parse(pii) as Record<string, unknown>) : null,
        };
      }),
    ),
  };
}
