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
    "emailSenderName" TEXT,
    "emailReplyTo" TEXT,
    "teamEmailLanguage" TEXT NOT NULL DEFAULT 'en',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ShopSettings" ("autoApproveCustomerAccess", "emailReplyTo", "emailSenderName", "exportRetentionDays", "holdExportsForRelease", "notificationEmails", "shopId", "updatedAt", "verificationPolicy") SELECT "autoApproveCustomerAccess", "emailReplyTo", "emailSenderName", "exportRetentionDays", "holdExportsForRelease", "notificationEmails", "shopId", "updatedAt", "verificationPolicy" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

