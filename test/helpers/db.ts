import { getDb } from "../../app/db.server";

/** Row counts of every table, to prove that a rejected request stored nothing. */
export async function countAllRows(): Promise<Record<string, number>> {
  const db = getDb();
  return {
    shops: await db.shop.count(),
    sessions: await db.session.count(),
    subjects: await db.dataSubject.count(),
    requests: await db.privacyRequest.count(),
    deliveries: await db.webhookDelivery.count(),
    jobs: await db.job.count(),
    auditEvents: await db.auditEvent.count(),
    receipts: await db.shopRedactionReceipt.count(),
    exports: await db.exportFile.count(),
    staffRoles: await db.staffRole.count(),
    settings: await db.shopSettings.count(),
    verifications: await db.storefrontVerification.count(),
    emails: await db.outboundEmail.count(),
    storefrontTexts: await db.storefrontText.count(),
    rateLimitCounters: await db.rateLimitCounter.count(),
    formTokens: await db.formTokenUse.count(),
  };
}

export const EMPTY_COUNTS = {
  shops: 0,
  sessions: 0,
  subjects: 0,
  requests: 0,
  deliveries: 0,
  jobs: 0,
  auditEvents: 0,
  receipts: 0,
  exports: 0,
  staffRoles: 0,
  settings: 0,
  verifications: 0,
  emails: 0,
  storefrontTexts: 0,
  rateLimitCounters: 0,
  formTokens: 0,
};
