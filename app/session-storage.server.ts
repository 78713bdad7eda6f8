import type { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { Db } from "./db-types";

/**
 * Shopify's Prisma session storage keeps an online token's user (name, email, owner flag) but not
 * its `associated_user_scope`: the scopes that staff member holds, which say for instance whether
 * Shopify lets them erase customer data. This keeps it in the Session row's own column and puts
 * it back on the session when it is loaded. An online session stored without it (none since the
 * migration that added the column) loads without it, and the staff member counts as holding no
 * scope until token exchange runs again.
 */
export class StaffSessionStorage extends PrismaSessionStorage<Db> {
  constructor(private readonly db: Db) {
    super(db);
  }

  override async storeSession(session: Session): Promise<boolean> {
    await super.storeSession(session);
    if (session.isOnline) {
      await this.db.session.update({
        where: { id: session.id },
        data: { associatedUserScope: session.onlineAccessInfo?.associated_user_scope ?? null },
      });
    }
    return true;
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    const session = await super.loadSession(id);
    if (!session?.onlineAccessInfo) return session;
    const row = await this.db.session.findUnique({ where: { id }, select: { associatedUserScope: true } });
    if (row?.associatedUserScope != null)
      session.onlineAccessInfo.associated_user_scope = row.associatedUserScope;
    return session;
  }
}
