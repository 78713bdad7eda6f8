import { json } from "@remix-run/node";
import { badRequest } from "../../admin-context.server";
import type { RequestPageData } from "../../components/request/page-data";
import type { Db } from "../../db-types";
import {
  availableIntents,
  fieldErrors,
  INTENT_PERMISSION,
  requestActionForm,
  type RequestIntent,
} from "../../domain/request-forms";
import type { RequestStatus } from "../../domain/request-lifecycle";
import { changesShopifyData } from "../../domain/review";
import { can, erasurePermissionProblem, ForbiddenActionError } from "../../domain/roles";
import { describeEvent } from "../../domain/timeline";
import type { Keyring } from "../../security/keyring";
import { getRequestForShop } from "../../services/request-queries.server";
import { reviewEvidence } from "../../services/request-review.server";
import { exportDelivery } from "../../exports/export-links.server";
import { writesToRequester } from "../../domain/requester-notices";
import { performRequestAction } from "../../services/staff-actions.server";
import { staffDirectory, staffNames, type StaffMember } from "../../services/staff.server";
import type { AdminClient } from "../../shopify-admin/admin-client.server";

interface PageDeps {
  db: Db;
  keyring: Keyring;
  staff: StaffMember;
  admin: () => AdminClient;
  now: Date;
}

export const notFound = () => json({ error: "No such request in this shop" }, { status: 404 });

/**
 * Everything the request page shows, from one read of the request row: its details and events,
 * the customer record Shopify holds now (while an erasure or correction awaits review), the
 * export, the buttons this staff member has and why any of them cannot be used, and the timeline
 * in sentences with staff named. Null when the shop has no such request.
 */
export async function loadRequestPage(deps: PageDeps, requestId: string): Promise<RequestPageData | null> {
  const { db, keyring, staff, now } = deps;
  const found = await getRequestForShop(db, keyring, { id: requestId, shopId: staff.shopId });
  if (!found) return null;
  const { view, events, sealed, message } = found;
  const status = view.status as RequestStatus;
  const inReview = changesShopifyData(view) && status === "pending_review";
  const [directory, exportFile, evidence, delivery] = await Promise.all([
    staffDirectory(db, staff.shopDomain),
    can(staff.role, "export.download")
      ? db.exportFile.findFirst({
          where: { shopId: staff.shopId, requestId: view.id, deletedAt: null, expiresAt: { gt: now } },
          orderBy: { createdAt: "desc" },
          select: { id: true, fileName: true, sizeBytes: true, expiresAt: true },
        })
      : null,
    inReview ? reviewEvidence(db, keyring, deps.admin, { ...view, ...sealed }) : null,
    writesToRequester(view.source)
      ? exportDelivery(db, { shopId: staff.shopId, requestId: view.id, now })
      : null,
  ]);
  const actions = availableIntents({ status, extended: view.extendedAt !== null, role: staff.role });
  const names = staffNames(directory);
  const completed = events.find((event) => event.action === "request.complete" && event.pii?.changes);
  return {
    request: view,
    shopperMessage: message,
    role: staff.role,
    now: now.toISOString(),
    actions,
    blocked: blockedIntents(actions, view, staff, inReview && !evidence?.snapshotHash),
    reviewedSnapshotHash: evidence?.snapshotHash ?? null,
    exportFile: exportFile && { ...exportFile, expiresAt: exportFile.expiresAt.toISOString() },
    delivery,
    evidence: evidence && {
      problem: evidence.problem,
      record: evidence.record && {
        ...evidence.record,
        addresses: evidence.record.addresses.length,
      },
    },
    corrections: evidence?.diff ?? (completed?.pii?.changes as RequestPageData["corrections"]) ?? null,
    timeline: events.map((event) => ({ key: event.seq, ...describeEvent(event, names) })),
  };
}

/** Offered buttons that cannot be used now, each with the reason the page shows beside it. */
function blockedIntents(
  actions: RequestIntent[],
  request: { type: string; source: string },
  staff: StaffMember,
  recordMissing: boolean,
): RequestPageData["blocked"] {
  const blocked: RequestPageData["blocked"] = {};
  for (const intent of ["approve", "retry"] as const) {
    if (!actions.includes(intent)) continue;
    const problem =
      erasurePermissionProblem({
        action: INTENT_PERMISSION[intent],
        request,
        userScopes: staff.userScopes,
      }) ??
      (intent === "approve" && recordMissing
        ? "Approval acts on the customer record Shopify holds, which could not be read (see above)."
        : null);
    if (problem) blocked[intent] = problem;
  }
  return blocked;
}

/**
 * What a button on the page posts: validated, allowed for the staff member's role, then carried
 * out. A request that moved on since the page loaded is a 409 with the reason.
 */
export async function actOnRequest(
  deps: { db: Db; keyring: Keyring; staff: StaffMember; now: Date },
  requestId: string,
  formData: FormData,
) {
  const { db, keyring, staff, now } = deps;
  const parsed = requestActionForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return badRequest("Check the form", fieldErrors(parsed.error));
  const permission = INTENT_PERMISSION[parsed.data.intent];
  if (!can(staff.role, permission)) {
    const forbidden = new ForbiddenActionError(staff.role, permission);
    return json({ error: forbidden.message, fieldErrors: {} }, { status: 403 });
  }
  const outcome = await performRequestAction(db, keyring, staff, requestId, parsed.data, now);
  if (!outcome.ok) return json({ error: outcome.message, fieldErrors: {} }, { status: outcome.status });
  return json({ ok: true as const, message: outcome.message });
}
