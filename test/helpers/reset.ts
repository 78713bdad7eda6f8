import { getDb } from "../../app/db.server";

/** Empties every table, children first. */
export async function resetDatabase(): Promise<void> {
  const db = getDb();
  await db.exportLink.deleteMany();
  await db.digestRun.deleteMany();
  await db.exportFile.deleteMany();
  await db.storefrontVerification.deleteMany();
  await db.outboundEmail.deleteMany();
  await db.storefrontText.deleteMany();
  await db.rateLimitCounter.deleteMany();
  await db.formTokenUse.deleteMany();
  await db.auditEvent.deleteMany();
  await db.webhookDelivery.deleteMany();
  await db.job.deleteMany();
  await db.privacyRequest.deleteMany();
  await db.dataSubject.deleteMany();
  await db.session.deleteMany();
  await db.staffRole.deleteMany();
  await db.shopSettings.deleteMany();
  await db.shop.deleteMany();
  await db.shopRedactionReceipt.deleteMany();
}
