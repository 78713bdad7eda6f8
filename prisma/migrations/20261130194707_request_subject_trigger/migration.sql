-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PrivacyRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "subjectId" TEXT,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "regime" TEXT NOT NULL,
    "customerId" TEXT,
    "emailHash" TEXT,
    "emailCipher" TEXT,
    "phoneCipher" TEXT,
    "nameCipher" TEXT,
    "shopifyDataRequestId" TEXT,
    "ordersRequested" TEXT,
    "statusReason" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "extendedAt" DATETIME,
    "extensionReason" TEXT,
    "completedAt" DATETIME,
    "redactedAt" DATETIME,
    "dueSoonFlaggedAt" DATETIME,
    "overdueFlaggedAt" DATETIME,
    "reviewedSnapshotHash" TEXT,
    "changesCipher" TEXT,
    "watchdogRequeues" INTEGER NOT NULL DEFAULT 0,
    "locale" TEXT,
    "messageCipher" TEXT,
    "dedupeKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PrivacyRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_PrivacyRequest" ("changesCipher", "completedAt", "createdAt", "customerId", "dedupeKey", "dueAt", "dueSoonFlaggedAt", "emailCipher", "emailHash", "extendedAt", "extensionReason", "id", "locale", "messageCipher", "nameCipher", "ordersRequested", "overdueFlaggedAt", "phoneCipher", "receivedAt", "redactedAt", "regime", "reviewedSnapshotHash", "shopId", "shopifyDataRequestId", "source", "status", "statusReason", "subjectId", "type", "updatedAt", "watchdogRequeues") SELECT "changesCipher", "completedAt", "createdAt", "customerId", "dedupeKey", "dueAt", "dueSoonFlaggedAt", "emailCipher", "emailHash", "extendedAt", "extensionReason", "id", "locale", "messageCipher", "nameCipher", "ordersRequested", "overdueFlaggedAt", "phoneCipher", "receivedAt", "redactedAt", "regime", "reviewedSnapshotHash", "shopId", "shopifyDataRequestId", "source", "status", "statusReason", "subjectId", "type", "updatedAt", "watchdogRequeues" FROM "PrivacyRequest";
DROP TABLE "PrivacyRequest";
ALTER TABLE "new_PrivacyRequest" RENAME TO "PrivacyRequest";
CREATE INDEX "PrivacyRequest_shopId_status_dueAt_idx" ON "PrivacyRequest"("shopId", "status", "dueAt");
CREATE INDEX "PrivacyRequest_shopId_receivedAt_idx" ON "PrivacyRequest"("shopId", "receivedAt");
CREATE INDEX "PrivacyRequest_shopId_customerId_idx" ON "PrivacyRequest"("shopId", "customerId");
CREATE INDEX "PrivacyRequest_shopId_emailHash_idx" ON "PrivacyRequest"("shopId", "emailHash");
CREATE INDEX "PrivacyRequest_dueAt_idx" ON "PrivacyRequest"("dueAt");
CREATE INDEX "PrivacyRequest_subjectId_idx" ON "PrivacyRequest"("subjectId");
CREATE UNIQUE INDEX "PrivacyRequest_shopId_shopifyDataRequestId_key" ON "PrivacyRequest"("shopId", "shopifyDataRequestId");
CREATE UNIQUE INDEX "PrivacyRequest_shopId_dedupeKey_key" ON "PrivacyRequest"("shopId", "dedupeKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- A request's subject must exist and belong to the request's shop. These triggers replace the
-- foreign key: they check every write as the key did (and the shop, which the key did not), but
-- deleting a subject no longer runs a statement per subject to clear the requests naming it. Only
-- shop/redact deletes subjects, after their shop's requests (docs/decisions/005).
CREATE TRIGGER "PrivacyRequest_subject_check_insert" BEFORE INSERT ON "PrivacyRequest"
  WHEN NEW."subjectId" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "DataSubject" WHERE "id" = NEW."subjectId" AND "shopId" = NEW."shopId")
BEGIN
  SELECT RAISE(ABORT, 'PrivacyRequest: its subject is not a subject of its shop');
END;

CREATE TRIGGER "PrivacyRequest_subject_check_update" BEFORE UPDATE OF "subjectId", "shopId" ON "PrivacyRequest"
  WHEN NEW."subjectId" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "DataSubject" WHERE "id" = NEW."subjectId" AND "shopId" = NEW."shopId")
BEGIN
  SELECT RAISE(ABORT, 'PrivacyRequest: its subject is not a subject of its shop');
END;
