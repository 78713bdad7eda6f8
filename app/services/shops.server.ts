import type { Db } from "../db-types";

export async function recordInstall(db: Db, input: { domain: string; scopes: string | null }): Promise<void> {
  await db.shop.upsert({
    where: { domain: input.domain },
    create: { domain: input.domain, scopes: input.scopes },
    update: { scopes: input.scopes, uninstalledAt: null, installedAt: new Date() },
  });
}

/** Shopify sends shop/redact 48 hours later; until then the shop's records stay for the merchant. */
export async function recordUninstall(
  db: Db,
  domain: string,
  now: Date,
): Promise<{ sessionsRemoved: number }> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { shop: domain } });
    await tx.shop.updateMany({ where: { domain }, data: { uninstalledAt: now } });
    return { sessionsRemoved: count };
  });
}

export async function recordScopesUpdate(db: Db, domain: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop: domain }, data: { scope } }),
    db.shop.updateMany({ where: { domain }, data: { scopes: scope } }),
  ]);
}
