import type { Db } from "../db-types";
import { effectiveRole, isRole, type Role } from "../domain/roles";
import {
  DEFAULT_PREFERENCES,
  VERIFICATION_POLICIES,
  type ShopPreferences,
  type VerificationPolicy,
} from "../domain/settings";
import { teamEmailLanguageOf } from "../domain/team-email-texts";
import type { Keyring } from "../security/keyring";
import { appendAuditEvent } from "./audit-log.server";
import { actorName, unknownStaff } from "../domain/staff-names";
import { staffDirectory, staffNames, type StaffDirectoryEntry, type StaffMember } from "./staff.server";

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
    holdExportsForRelease: row.holdExportsForRelease,
    emailSenderName: row.emailSenderName,
    emailReplyTo: row.emailReplyTo,
    teamEmailLanguage: teamEmailLanguageOf(row.teamEmailLanguage),
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

export interface StaffRosterRow {
  userId: string;
  name: string;
  email: string | null;
  isOwner: boolean;
  /** What they may do now: admin for the owner, else the assigned role, else viewer. */
  role: Role;
  /** Whether an admin assigned the role (it can be removed). */
  assigned: boolean;
  assignedBy: string | null;
  /** They opened Privacy Desk in this shop, so their name is known. */
  openedApp: boolean;
  /** Whether Shopify lets them erase customer data; null if unknown. */
  mayEraseCustomerData: boolean | null;
}

/**
 * The shop's staff as Settings lists them: everyone who has opened the app here (named from their
 * online session), and anyone with a role who has not (by id), each with the role they have now
 * and who assigned it. Nothing from another shop.
 */
export async function staffRoster(db: Db, shop: { id: string; domain: string }): Promise<StaffRosterRow[]> {
  const [directory, rows] = await Promise.all([
    staffDirectory(db, shop.domain),
    db.staffRole.findMany({ where: { shopId: shop.id }, orderBy: { userId: "asc" } }),
  ]);
  const names = staffNames(directory);
  const assigned = new Map(rows.filter((row) => isRole(row.role)).map((row) => [row.userId, row]));
  const row = (userId: string, person: StaffDirectoryEntry | undefined): StaffRosterRow => {
    const assignment = assigned.get(userId);
    return {
      userId,
      name: person?.name ?? unknownStaff(userId),
      email: person?.email ?? null,
      isOwner: person?.isOwner ?? false,
      role: effectiveRole({ accountOwner: person?.isOwner ?? false, assigned: assignment?.role ?? null }),
      assigned: assignment !== undefined,
      assignedBy: assignment ? actorName(assignment.assignedBy, names) : null,
      openedApp: person !== undefined,
      mayEraseCustomerData: person?.mayEraseCustomerData ?? null,
    };
  };
  const known = new Set(directory.map((person) => person.userId));
  return [
    ...directory.map((person) => row(person.userId, person)),
    ...[...assigned.keys()].filter((userId) => !known.has(userId)).map((userId) => row(userId, undefined)),
  ];
}

export type RoleChange = { ok: true; message: string } | { ok: false; message: string };

/**
 * An admin gives a staff member of this shop a role, or takes it away (`none`: a viewer again).
 * Only someone who has opened Privacy Desk in this shop, or already has a role here, can be
 * chosen; not the admin themselves, and not the owner, who is always an admin.
 */
export async function assignRole(
  db: Db,
  keyring: Keyring,
  staff: StaffMember,
  input: { userId: string; role: Role | "none" },
  now: Date,
): Promise<RoleChange> {
  if (input.userId === staff.userId) return { ok: false, message: "You cannot change your own role" };
  const [directory, existing] = await Promise.all([
    staffDirectory(db, staff.shopDomain),
    db.staffRole.findUnique({ where: { shopId_userId: { shopId: staff.shopId, userId: input.userId } } }),
  ]);
  const person = directory.find((entry) => entry.userId === input.userId);
  if (!person && !existing)
    return { ok: false, message: "Choose a staff member who has opened Privacy Desk in this store" };
  if (person?.isOwner) return { ok: false, message: `${person.name} owns the store and is always an admin` };
  if (input.role === "none" && !existing)
    return { ok: false, message: `${person!.name} has no role to remove (they are a viewer)` };
  await db.$transaction(async (tx) => {
    if (input.role === "none")
      await tx.staffRole.deleteMany({ where: { shopId: staff.shopId, userId: input.userId } });
    else
      await tx.staffRole.upsert({
        where: { shopId_userId: { shopId: staff.shopId, userId: input.userId } },
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
  const name = person?.name ?? unknownStaff(input.userId);
  return {
    ok: true,
    message:
      input.role === "none"
        ? `${name} is a viewer again`
        : `${name} is now ${ARTICLE[input.role]} ${input.role}`,
  };
}

const ARTICLE: Record<Role, string> = { viewer: "a", approver: "an", admin: "an" };
