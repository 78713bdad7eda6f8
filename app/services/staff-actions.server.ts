import type { Db, Tx } from "../db-types";
import type { Regime } from "../domain/deadlines";
import {
  ConcurrentUpdateError,
  ExtensionNotAllowedError,
  IllegalTransitionError,
  RequestNotFoundError,
  ReviewRequiredError,
} from "../domain/errors";
import { rectificationChanges } from "../domain/rectification";
import {
  INTENT_PERMISSION,
  rectificationChangesOf,
  type NewRequestForm,
  type RequestActionForm,
} from "../domain/request-forms";
import { erasurePermissionProblem, ErasureNotPermittedError, type StaffAction } from "../domain/roles";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent } from "./audit-log.server";
import {
  approveRequest,
  createRequest,
  extendDeadline,
  retryRequest,
  transitionRequest,
} from "./requests.server";
import type { StaffMember } from "./staff.server";
import { releaseExport, revokeExportLinks } from "../exports/export-links.server";

export type ActionOutcome =
  { ok: true; message: string } | { ok: false; status: 403 | 404 | 409 | 422; message: string };

/**
 * Carries out what a staff member asked on a request's page. A request that moved on since the
 * page was loaded is a 409 with the reason, never a silent overwrite.
 */
export async function performRequestAction(
  db: Db,
  keyring: Keyring,
  staff: StaffMember,
  requestId: string,
  form: RequestActionForm,
  now: Date,
): Promise<ActionOutcome> {
  const base = { shopId: staff.shopId, requestId, actor: staff.actor, now };
  if (form.intent === "release_export" || form.intent === "revoke_links")
    return exportDeliveryAction(db, keyring, staff, requestId, form, now);
  try {
    await db.$transaction(async (tx) => {
      if (form.intent === "approve" || form.intent === "retry")
        await assertShopifyLetsStaffErase(tx, staff, requestId, INTENT_PERMISSION[form.intent]);
      switch (form.intent) {
        case "approve":
          await approveRequest(tx, keyring, { ...base, reviewedSnapshotHash: form.reviewedSnapshotHash });
          return;
        case "deny":
          await transitionRequest(tx, keyring, { ...base, event: "deny", reason: form.reason });
          return;
        case "cancel":
          await transitionRequest(tx, keyring, {
            ...base,
            event: "cancel",
            reason: form.reason || undefined,
          });
          return;
        case "verify":
          await transitionRequest(tx, keyring, { ...base, event: "verify" });
          return;
        case "extend":
          await extendDeadline(tx, keyring, { ...base, reason: form.reason });
          return;
        case "retry":
          await retryRequest(tx, keyring, base);
          return;
      }
    });
  } catch (error) {
    if (error instanceof RequestNotFoundError)
      return { ok: false, status: 404, message: "No such request in this shop" };
    if (error instanceof ErasureNotPermittedError) return { ok: false, status: 403, message: error.message };
    if (error instanceof IllegalTransitionError || error instanceof ConcurrentUpdateError) {
      return {
        ok: false,
        status: 409,
        message: `This request can no longer be changed that way (${error.message}); the page now shows its current state`,
      };
    }
    if (error instanceof ExtensionNotAllowedError || error instanceof ReviewRequiredError)
      return { ok: false, status: 422, message: error.message };
    throw error;
  }
  return { ok: true, message: DONE[form.intent] };
}

/** Releases a held export to its requester, or revokes every link to the request's exports. */
async function exportDeliveryAction(
  db: Db,
  keyring: Keyring,
  staff: StaffMember,
  requestId: string,
  form: Extract<RequestActionForm, { intent: "release_export" | "revoke_links" }>,
  now: Date,
): Promise<ActionOutcome> {
  const request = await db.privacyRequest.findFirst({
    where: { id: requestId, shopId: staff.shopId },
    select: { id: true },
  });
  if (!request) return { ok: false, status: 404, message: "No such request in this shop" };
  if (form.intent === "revoke_links") {
    const revoked = await revokeExportLinks(db, keyring, {
      shopId: staff.shopId,
      requestId,
      actor: staff.actor,
      now,
    });
    return revoked > 0
      ? { ok: true, message: `${revoked} download link${revoked === 1 ? "" : "s"} revoked` }
      : { ok: false, status: 409, message: "No download link of this request still works" };
  }
  const file = await db.exportFile.findFirst({
    where: { id: form.exportId, shopId: staff.shopId, requestId },
    select: { id: true },
  });
  if (!file) return { ok: false, status: 404, message: "No such export for this request" };
  const released = await releaseExport(db, keyring, {
    shopId: staff.shopId,
    exportId: file.id,
    actor: staff.actor,
    now,
  });
  return released
    ? { ok: true, message: "Export released; the requester is emailed a link to download it" }
    : { ok: false, status: 409, message: "This export was already released or is no longer kept" };
}

/**
 * Approving or retrying an erasure makes Privacy Desk ask Shopify to erase the customer, which
 * Shopify allows only for staff who may erase customer data (domain/roles.ts).
 */
async function assertShopifyLetsStaffErase(
  tx: Tx,
  staff: StaffMember,
  requestId: string,
  action: StaffAction,
) {
  const request = await tx.privacyRequest.findFirst({
    where: { id: requestId, shopId: staff.shopId },
    select: { type: true, source: true },
  });
  if (!request) throw new RequestNotFoundError(requestId);
  const problem = erasurePermissionProblem({ action, request, userScopes: staff.userScopes });
  if (problem) throw new ErasureNotPermittedError(problem);
}

const DONE: Record<RequestActionForm["intent"], string> = {
  approve: "Request approved; Privacy Desk is carrying it out",
  deny: "Request denied",
  extend: "Deadline extended",
  cancel: "Request canceled",
  retry: "Request queued again",
  verify: "Requester marked as verified",
  release_export: "Export released",
  revoke_links: "Download links revoked",
};

/** A request received by email, phone or post, recorded by a staff member. */
export async function recordMerchantRequest(
  db: Db,
  keyring: Keyring,
  staff: StaffMember,
  form: NewRequestForm,
) {
  const changes =
    form.type === "rectification" ? rectificationChanges.parse(rectificationChangesOf(form)) : undefined;
  const { request } = await db.$transaction(async (tx) => {
    const created = await createRequest(
      tx,
      keyring,
      {
        shopId: staff.shopId,
        type: form.type,
        source: "merchant",
        regime: form.regime as Regime,
        verified: form.verified,
        receivedAt: new Date(`${form.receivedOn}T12:00:00Z`),
        customerId: form.customerId,
        email: form.email,
        phone: form.phone,
        requestedChanges: changes,
      },
      staff.actor,
    );
    await appendAuditEvent(tx, keyring, {
      shopId: staff.shopId,
      requestId: created.request.id,
      actor: staff.actor,
      action: "request.recorded_by_staff",
      occurredAt: new Date(),
      data: { channel: form.channel, verified: form.verified },
    });
    return created;
  });
  return request;
}
