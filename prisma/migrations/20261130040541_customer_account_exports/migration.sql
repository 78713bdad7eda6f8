-- AlterTable
ALTER TABLE "ExportFile" ADD COLUMN "releasedAt" DATETIME;
ALTER TABLE "ExportFile" ADD COLUMN "releasedBy" TEXT;

-- CreateTable
CREATE TABLE "ExportLink" (
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
    CONSTRAINT "ExportLink_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DigestRun" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopId", "day"),
    CONSTRAINT "DigestRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "verificationPolicy" TEXT NOT NULL,
    "autoApproveCustomerAccess" BOOLEAN NOT NULL,
    "notificationEmails" TEXT NOT NULL,
    "exportRetentionDays" INTEGER NOT NULL,
    "holdExportsForRelease" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("autoApproveCustomerAccess", "exportRetentionDays", "notificationEmails", "shopId", "updatedAt", "verificationPolicy") SELECT "autoApproveCustomerAccess", "exportRetentionDays", "notificationEmails", "shopId", "updatedAt", "verificationPolicy" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ExportLink_tokenHash_key" ON "ExportLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ExportLink_shopId_requestId_idx" ON "ExportLink"("shopId", "requestId");

-- CreateIndex
CREATE INDEX "ExportLink_expiresAt_idx" ON "ExportLink"("expiresAt");

