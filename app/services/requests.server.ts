import type { Tx } from "../db-types";
import { initialDueDate, planExtension, type Regime } from "../domain/deadlines";
import { ConcurrentUpdateError, RequestNotFoundError } from "../domain/errors";
import {
  initialStatus,
  isRequestStatus,
  isRequestType,
  OPEN_STATUSES,
  nextStatus,
  type RequestEvent,
  type RequestSource,
  type RequestStatus,
  type RequestType,
} from "../domain/request-lifecycle";
import { ExtensionNotAllowedError, ReviewRequiredError } from "../domain/errors";
import { rectificationChanges, type RectificationChanges } from "../domain/rectification";
import { changesShopifyData } from "../domain/review";
import { noticeForStatus, writesToRequester } from "../domain/requester-notices";
import { enqueueJob } from "../queue/job-queue.server";
import { enqueueRequesterNotice, enqueueStaffNotice } from "./email/outbox.server";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent, type Actor, type AuditEntry } from "./audit-log.server";
import type { Db } from "../db-types";
import {
  createSubjectReader,
  emailHashFor,
  findOrCreateSubject,
  sealFor,
  type OpenSubject,
} from "./subjects.server";
import { newRowId } from "../security/row-id";

export interface NewRequest {
  shopId: string;
  type: RequestType;
  source: RequestSource;
  regime: Regime;
  verified: boolean;
  receivedAt: Date;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  name?: string | null;
  shopifyDataRequestId?: string | null;
  ordersRequested?: string[];
  /** Rectification: the corrections asked for (validated by domain/rectification.ts). */
  requestedChanges?: RectificationChanges;
  /** Storefront: the shopper's language, their optional message, and a key that makes a repeat a no-op. */
  locale?: string | null;
  message?: string | null;
  dedupeKey?: string | null;
  /** More facts for the `request.received` event (no personal data). */
  receivedData?: Record<string, unknown>;
}

/** The row and its "received" audit entry for a new request of an already resolved subject. */
export function newRequestRecord(keyring: Keyring, subject: OpenSubject, input: NewRequest) {
  const status = initialStatus(input);
  const row = {
    id: newRowId(),
    shopId: input.shopId,
    subjectId: subject.id,
    type: input.type,
    status,
    source: input.source,
    regime: input.regime,
    customerId: input.customerId,
    emailHash: emailHashFor(keyring, input.email),
    emailCipher: sealFor(subject, "email", input.email),
    phoneCipher: sealFor(subject, "phone", input.phone),
    nameCipher: sealFor(subject, "name", input.name),
    changesCipher: input.requestedChanges
      ? sealFor(subject, "changes", JSON.stringify(input.requestedChanges))
      : null,
    shopifyDataRequestId: input.shopifyDataRequestId ?? null,
    ordersRequested: input.ordersRequested?.length ? JSON.stringify(input.ordersRequested) : null,
    receivedAt: input.receivedAt,
    dueAt: initialDueDate(input.regime, input.receivedAt),
    locale: input.locale ?? null,
    messageCipher: sealFor(subject, "message", input.message),
    dedupeKey: input.dedupeKey ?? null,
  };
  const audit = (actor: Actor): AuditEntry => ({
    shopId: input.shopId,
    requestId: row.id,
    actor,
    action: "request.received",
    occurredAt: input.receivedAt,
    data: {
      type: input.type,
      source: input.source,
      regime: input.regime,
      status,
      dueAt: row.dueAt.toISOString(),
      ...input.receivedData,
    },
    pii: { subject, values: { customerId: input.customerId, email: input.email, phone: input.phone } },
  });
  return { row, audit };
}

export async function createRequest(tx: Tx, keyring: Keyring, input: NewRequest, actor: Actor) {
  const subject = await findOrCreateSubject(tx, keyring, input.shopId, {
    customerId: input.customerId,
    email: input.email,
  });
  const { row, audit } = newRequestRecord(keyring, subject, input);
  const request = await tx.privacyRequest.create({ data: row });
  await appendAuditEvent(tx, keyring, audit(actor));
  // A staff member who records a request knows of it already; anyone else's waits to be seen.
  if (row.status === "pending_review" && input.source !== "merchant")
    await enqueueStaffNotice(tx, request, "staff_review_needed", input.receivedAt);
  return { request, subject };
}

export interface TransitionInput {
  shopId: string;
  requestId: string;
  event: RequestEvent;
  actor: Actor;
  now: Date;
  reason?: string;
  data?: Record<string, unknown>;
  /** Personal data to record with the event, sealed with the subject's key (e.g. a rectification's before/after). */
  pii?: AuditEntry["pii"];
}

async function loadForShop(tx: Tx, shopId: string, requestId: string) {
  const request = await tx.privacyRequest.findFirst({ where: { id: requestId, shopId } });
  if (!request) throw new RequestNotFoundError(requestId);
  if (!isRequestStatus(request.status))
    throw new Error(`Request ${requestId} has an unknown status ${request.status}`);
  return { ...request, status: request.status as RequestStatus };
}

/**
 * Moves a request along the transition table. The write is guarded on the status we read, so a
 * concurrent change makes this fail instead of being overwritten, and the audit event is written
 * in the same transaction.
 */
export async function transitionRequest(tx: Tx, keyring: Keyring, input: TransitionInput) {
  const request = await loadForShop(tx, input.shopId, input.requestId);
  const to = nextStatus(request.status, input.event);
  const { count } = await tx.privacyRequest.updateMany({
    where: { id: request.id, shopId: input.shopId, status: request.status },
    data: {
      status: to,
      statusReason: input.reason ?? null,
      ...(to === "completed" ? { completedAt: input.now } : {}),
    },
  });
  if (count !== 1) throw new ConcurrentUpdateError(request.id);
  await appendAuditEvent(tx, keyring, {
    shopId: input.shopId,
    requestId: request.id,
    actor: input.actor,
    action: `request.${input.event}`,
    occurredAt: input.now,
    data: { from: request.status, to, ...(input.reason ? { reason: input.reason } : {}), ...input.data },
    pii: input.pii,
  });
  await tellRequester(tx, request, to, input.now);
  if (to === "pending_review") await enqueueStaffNotice(tx, request, "staff_review_needed", input.now);
  if (to === "failed") await enqueueStaffNotice(tx, request, "staff_request_failed", input.now);
  return { ...request, status: to };
}

/** The requester's email about this status, queued in the transition's transaction (never lost, never early). */
async function tellRequester(
  tx: Tx,
  request: { id: string; shopId: string; source: string; type: string; locale: string | null },
  to: RequestStatus,
  now: Date,
) {
  if (!writesToRequester(request.source) || !isRequestType(request.type)) return;
  const settings = await tx.shopSettings.findUnique({
    where: { shopId: request.shopId },
    select: { holdExportsForRelease: true },
  });
  const notice = noticeForStatus({ source: request.source, type: request.type }, to, {
    holdsExportsForRelease: settings?.holdExportsForRelease ?? false,
  });
  if (notice) await enqueueRequesterNotice(tx, request, notice, now);
}

/** Once per request, with a reason, while the request is still open. */
export async function extendDeadline(
  tx: Tx,
  keyring: Keyring,
  input: { shopId: string; requestId: string; reason: string; actor: Actor; now: Date },
) {
  const request = await loadForShop(tx, input.shopId, input.requestId);
  if (!OPEN_STATUSES.includes(request.status)) {
    throw new ExtensionNotAllowedError(`A ${request.status} request has no deadline left to extend`);
  }
  const plan = planExtension({
    regime: request.regime as Regime,
    dueAt: request.dueAt,
    alreadyExtended: request.extendedAt !== null,
    reason: input.reason,
  });
  const { count } = await tx.privacyRequest.updateMany({
    where: { id: request.id, shopId: input.shopId, extendedAt: null },
    // The new deadline is watched afresh (services/deadline-watch.server.ts).
    data: {
      dueAt: plan.dueAt,
      extendedAt: input.now,
      extensionReason: plan.reason,
      dueSoonFlaggedAt: null,
      overdueFlaggedAt: null,
    },
  });
  if (count !== 1) throw new ConcurrentUpdateError(request.id);
  await appendAuditEvent(tx, keyring, {
    shopId: input.shopId,
    requestId: request.id,
    actor: input.actor,
    action: "request.deadline_extended",
    occurredAt: input.now,
    data: { from: request.dueAt.toISOString(), to: plan.dueAt.toISOString(), reason: plan.reason },
  });
  // GDPR Art. 12(3) and CCPA §7021: the requester is told of the extension and why.
  if (writesToRequester(request.source))
    await enqueueRequesterNotice(tx, request, "request_extended", input.now);
  return { ...request, dueAt: plan.dueAt };
}

/**
 * The merchant approves: the transition, its audit event and the job that carries the request
 * out are one transaction, so an approved request always has its job.
 */
export async function approveRequest(
  tx: Tx,
  keyring: Keyring,
  input: { shopId: string; requestId: string; actor: Actor; now: Date; reviewedSnapshotHash?: string },
) {
  const { reviewedSnapshotHash, ...transition } = input;
  const request = await loadForShop(tx, input.shopId, input.requestId);
  const needsReview = changesShopifyData(request);
  if (needsReview && !reviewedSnapshotHash) {
    throw new ReviewRequiredError(
      `Approving ${request.type} needs the customer record the merchant reviewed`,
    );
  }
  const approved = await transitionRequest(tx, keyring, {
    ...transition,
    event: "approve",
    data: needsReview ? { reviewedSnapshotHash } : undefined,
  });
  if (needsReview) {
    await tx.privacyRequest.updateMany({
      where: { id: input.requestId, shopId: input.shopId },
      data: { reviewedSnapshotHash },
    });
  }
  await enqueueExecution(tx, input);
  return approved;
}

/** A failed request goes back to the queue: the transition and a fresh job in one transaction. */
export async function retryRequest(
  tx: Tx,
  keyring: Keyring,
  input: { shopId: string; requestId: string; actor: Actor; now: Date },
) {
  const retried = await transitionRequest(tx, keyring, { ...input, event: "retry" });
  // A staff member's retry is a fresh start for the watchdog too.
  await tx.privacyRequest.updateMany({
    where: { id: input.requestId, shopId: input.shopId },
    data: { watchdogRequeues: 0 },
  });
  await enqueueExecution(tx, input);
  return retried;
}

/**
 * The person behind these requests was erased: those still open can never be carried out as
 * asked (an export of nobody, a correction of nothing), so they close with the reason. Returns
 * the ids it closed.
 */
export async function supersedeOpenRequests(
  tx: Tx,
  keyring: Keyring,
  input: { shopId: string; requestIds: string[]; reason: string; actor: Actor; now: Date },
): Promise<string[]> {
  if (input.requestIds.length === 0) return [];
  const open = await tx.privacyRequest.findMany({
    where: { shopId: input.shopId, id: { in: input.requestIds }, status: { in: [...OPEN_STATUSES] } },
    select: { id: true },
    orderBy: { receivedAt: "asc" },
  });
  for (const { id } of open) {
    await transitionRequest(tx, keyring, {
      shopId: input.shopId,
      requestId: id,
      event: "supersede",
      actor: input.actor,
      now: input.now,
      reason: input.reason,
    });
  }
  return open.map(({ id }) => id);
}

export function enqueueExecution(tx: Tx, input: { shopId: string; requestId: string; now: Date }) {
  return enqueueJob(tx, {
    shopId: input.shopId,
    kind: "execute_request",
    payload: { shopId: input.shopId, requestId: input.requestId },
    runAt: input.now,
  });
}

/**
 * The corrections a rectification asks for, as sealed by createRequest; null when there are none,
 * they were erased, or they no longer validate.
 */
export async function readRequestedChanges(
  db: Db | Tx,
  keyring: Keyring,
  request: { subjectId: string | null; changesCipher: string | null },
): Promise<RectificationChanges | null> {
  const sealed = await createSubjectReader(db, keyring)(request.subjectId, "changes", request.changesCipher);
  const parsed = sealed ? rectificationChanges.safeParse(JSON.parse(sealed)) : null;
  return parsed?.success ? parsed.data : null;
}
