-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN "linkId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ExportLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "exportId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "customerId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "downloads" INTEGER NOT NULL DEFAULT 0,
    "lastDownloadAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedBy" TEXT,
    "createdAt" DATETIME NOT NULL,
    "codeHash" TEXT,
    "codeCipher" TEXT,
    "codeExpiresAt" DATETIME,
    "codeAttempts" INTEGER NOT NULL DEFAULT 0,
    "codeSentAt" DATETIME,
    "parentLinkId" TEXT,
    CONSTRAINT "ExportLink_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ExportLink" ("createdAt", "customerId", "downloads", "expiresAt", "exportId", "id", "kind", "lastDownloadAt", "requestId", "revokedAt", "revokedBy", "shopId", "tokenHash", "usedAt") SELECT "createdAt", "customerId", "downloads", "expiresAt", "exportId", "id", "kind", "lastDownloadAt", "requestId", "revokedAt", "revokedBy", "shopId", "tokenHash", "usedAt" FROM "ExportLink";
DROP TABLE "ExportLink";
ALTER TABLE "new_ExportLink" RENAME TO "ExportLink";
CREATE UNIQUE INDEX "ExportLink_tokenHash_key" ON "ExportLink"("tokenHash");
CREATE INDEX "ExportLink_shopId_requestId_idx" ON "ExportLink"("shopId", "requestId");
CREATE INDEX "ExportLink_expiresAt_idx" ON "ExportLink"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

