import type { Db } from "../db-types";
import type { RequestStatus, RequestType } from "../domain/request-lifecycle";
import type { Keyring } from "../security/keyring";
import { createSubjectReader } from "./subjects.server";

export interface RequestView {
  id: string;
  shop: string;
  type: string;
  status: string;
  source: string;
  regime: string;
  customerId: string | null;
  /** null when none was given, or once the person's data was erased */
  email: string | null;
  phone: string | null;
  receivedAt: string;
  dueAt: string;
  extendedAt: string | null;
  extensionReason: string | null;
  completedAt: string | null;
  redactedAt: string | null;
  statusReason: string | null;
  shopifyDataRequestId: string | null;
}

export interface AuditEventView {
  seq: number;
  action: string;
  actor: string;
  occurredAt: string;
  data: Record<string, unknown>;
  /** Personal data recorded with the event; null if there was none or it was erased. */
  pii: Record<string, unknown> | null;
  piiErased: boolean;
}

const requestInclude = { shop: { select: { domain: true } } } as const;

type RequestRow = Awaited<ReturnType<typeof findRows>>[number];
const findRows = (db: Db, where: object, take?: number) =>
  db.privacyRequest.findMany({
    where,
    include: requestInclude,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take,
  });

/** Rows (with their shop's domain) as the app shows them: personal data decrypted, or null once erased. */
export async function toRequestViews(db: Db, keyring: Keyring, rows: RequestRow[]): Promise<RequestView[]> {
  const read = createSubjectReader(db, keyring);
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      shop: row.shop.domain,
      type: row.type,
      status: row.status,
      source: row.source,
      regime: row.regime,
      customerId: row.customerId,
      email: await read(row.subjectId, "email", row.emailCipher),
      phone: await read(row.subjectId, "phone", row.phoneCipher),
      receivedAt: row.receivedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      extendedAt: row.extendedAt?.toISOString() ?? null,
      extensionReason: row.extensionReason,
      completedAt: row.completedAt?.toISOString() ?? null,
      redactedAt: row.redactedAt?.toISOString() ?? null,
      statusReason: row.statusReason,
      shopifyDataRequestId: row.shopifyDataRequestId,
    })),
  );
}

export async function listRequests(
  db: Db,
  keyring: Keyring,
  filter: { shopDomain: string; status?: RequestStatus; type?: RequestType; limit?: number },
): Promise<RequestView[]> {
  const rows = await findRows(
    db,
    {
      shop: { domain: filter.shopDomain },
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.type ? { type: filter.type } : {}),
    },
    filter.limit,
  );
  return toRequestViews(db, keyring, rows);
}

/** With `shopDomain`, a request of another shop is "not found", never shown. */
export async function getRequestWithEvents(
  db: Db,
  keyring: Keyring,
  input: { id: string; shopDomain?: string },
): Promise<(RequestView & { events: AuditEventView[] }) | null> {
  const [row] = await findRows(
    db,
    { id: input.id, ...(input.shopDomain ? { shop: { domain: input.shopDomain } } : {}) },
    1,
  );
  if (!row) return null;
  const [view] = await toRequestViews(db, keyring, [row]);
  return { ...view!, events: await eventsOf(db, keyring, row) };
}

/**
 * One of the shop's requests for its page, from a single read of the row: the view, its events,
 * and the sealed fields the review needs (the subject and the requested corrections). Another
 * shop's request is null, as is an id that does not exist.
 */
export async function getRequestForShop(
  db: Db,
  keyring: Keyring,
  input: { id: string; shopId: string },
): Promise<{
  view: RequestView;
  events: AuditEventView[];
  sealed: { subjectId: string | null; changesCipher: string | null };
  /** What the shopper wrote with a storefront request; null when nothing, or once erased. */
  message: string | null;
} | null> {
  const [row] = await findRows(db, { id: input.id, shopId: input.shopId }, 1);
  if (!row) return null;
  const [view] = await toRequestViews(db, keyring, [row]);
  return {
    view: view!,
    events: await eventsOf(db, keyring, row),
    sealed: { subjectId: row.subjectId, changesCipher: row.changesCipher },
    message: await createSubjectReader(db, keyring)(row.subjectId, "message", row.messageCipher),
  };
}

async function eventsOf(db: Db, keyring: Keyring, row: RequestRow): Promise<AuditEventView[]> {
  const read = createSubjectReader(db, keyring);
  const events = await db.auditEvent.findMany({
    where: { shopId: row.shopId, requestId: row.id },
    orderBy: { seq: "asc" },
  });
  return Promise.all(
    events.map(async (event) => {
      const pii = await read(event.subjectId, "audit-pii", event.piiCipher);
      return {
        seq: event.seq,
        action: event.action,
        actor: event.actor,
        occurredAt: event.occurredAt.toISOString(),
        data: JSON.parse(event.data) as Record<string, unknown>,
        pii: pii ? (JSON.parse(pii) as Record<string, unknown>) : null,
        piiErased: event.piiCipher !== null && pii === null,
      };
    }),
  );
}
