-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StorefrontVerification" (
    "requestId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "customerId" TEXT,
    "codeHash" TEXT,
    "codeCipher" TEXT,
    "codeIssuedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "resends" INTEGER NOT NULL DEFAULT 0,
    "verifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StorefrontVerification_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_StorefrontVerification" ("attempts", "codeCipher", "codeHash", "codeIssuedAt", "createdAt", "customerId", "method", "requestId", "resends", "shopId", "updatedAt", "verifiedAt") SELECT "attempts", "codeCipher", "codeHash", "codeIssuedAt", "createdAt", "customerId", "method", "requestId", "resends", "shopId", "updatedAt", "verifiedAt" FROM "StorefrontVerification";
DROP TABLE "StorefrontVerification";
ALTER TABLE "new_StorefrontVerification" RENAME TO "StorefrontVerification";
CREATE INDEX "StorefrontVerification_shopId_createdAt_idx" ON "StorefrontVerification"("shopId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- A verification's request must exist and belong to the verification's shop. These triggers
-- replace the foreign key, as request_subject_trigger did for a request's subject: every write is
-- checked (the shop too), but deleting a request no longer runs a statement per request to look for
-- its verification. Only shop/redact deletes requests, after their shop's verifications.
CREATE TRIGGER "StorefrontVerification_request_check_insert" BEFORE INSERT ON "StorefrontVerification"
  WHEN NOT EXISTS (SELECT 1 FROM "PrivacyRequest" WHERE "id" = NEW."requestId" AND "shopId" = NEW."shopId")
BEGIN
  SELECT RAISE(ABORT, 'StorefrontVerification: its request is not a request of its shop');
END;

CREATE TRIGGER "StorefrontVerification_request_check_update" BEFORE UPDATE OF "requestId", "shopId" ON "StorefrontVerification"
  WHEN NOT EXISTS (SELECT 1 FROM "PrivacyRequest" WHERE "id" = NEW."requestId" AND "shopId" = NEW."shopId")
BEGIN
  SELECT RAISE(ABORT, 'StorefrontVerification: its request is not a request of its shop');
END;
