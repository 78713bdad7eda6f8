import type { Db } from "../db-types";
import { isRole, type Role } from "../domain/roles";
import {
  DEFAULT_PREFERENCES,
  VERIFICATION_POLICIES,
  type ShopPreferences,
  type VerificationPolicy,
} from "../domain/settings";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent } from "./audit-log.server";
import type { StaffMember } from "./staff.server";

/** A shop that never saved settings has the defaults, with the deployment's export retention. */
export async function shopPreferences(
  db: Db,
  shopId: string,
  defaultRetentionDays: number,
): Promise<ShopPreferences> {
  const row = await db.shopSettings.findUnique({ where: { shopId } });
  if (!row) return { ...DEFAULT_PREFERENCES, exportRetentionDays: defaultRetentionDays };
  return {
    verificationPolicy: (VERIFICATION_POLICIES as readonly string[]).includes(row.verificationPolicy)
      ? (row.verificationPolicy as VerificationPolicy)
      : DEFAULT_PREFERENCES.verificationPolicy,
    autoApproveCustomerAccess: row.autoApproveCustomerAccess,
    notificationEmails: JSON.parse(row.notificationEmails) as string[],
    exportRetentionDays: row.exportRetentionDays,
  };
}

/** Saved with an audit event naming who changed what (addresses are the merchant's, not a shopper's). */
export async function savePreferences(
  db: Db,
  keyring: Keyring,
  staff: StaffMember,
  next: ShopPreferences,
  now: Date,
) {
  await db.$transaction(async (tx) => {
    const data = { ...next, notificationEmails: JSON.stringify(next.notificationEmails) };
    await tx.shopSettings.upsert({
      where: { shopId: staff.shopId },
      create: { shopId: staff.shopId, ...data },
      update: data,
    });
    await appendAuditEvent(tx, keyring, {
      shopId: staff.shopId,
      actor: staff.actor,
      action: "settings.updated",
      occurredAt: now,
      data: { ...next },
    });
  });
}

export async function staffRoles(
  db: Db,
  shopId: string,
): Promise<{ userId: string; role: Role; assignedBy: string; updatedAt: string }[]> {
  const rows = await db.staffRole.findMany({ where: { shopId }, orderBy: { userId: "asc" } });
  return rows
    .filter((row) => isRole(row.role))
    .map((row) => ({
      userId: row.userId,
      role: row.role as Role,
      assignedBy: row.assignedBy,
      updatedAt: row.updatedAt.toISOString(),
    }));
}

/** `none` removes the assignment (the staff member is a viewer again). Owners need no row. */
export async function assignRole(
  db: Db,
  keyring: Keyring,
  staff: StaffMember,
  input: { userId: string; role: Role | "none" },
  now: Date,
) {
  await db.$transaction(async (tx) => {
    const where = { shopId_userId: { shopId: staff.shopId, userId: input.userId } };
    if (input.role === "none")
      await tx.staffRole.deleteMany({ where: { shopId: staff.shopId, userId: input.userId } });
    else
      await tx.staffRole.upsert({
        where,
        create: { shopId: staff.shopId, userId: input.userId, role: input.role, assignedBy: staff.actor },
        update: { role: input.role, assignedBy: staff.actor },
      });
    await appendAuditEvent(tx, keyring, {
      shopId: staff.shopId,
      actor: staff.actor,
      action: "staff.role_assigned",
      occurredAt: now,
      data: { userId: input.userId, role: input.role },
    });
  });
}
