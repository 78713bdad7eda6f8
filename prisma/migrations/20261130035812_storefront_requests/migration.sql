-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN "dedupeKey" TEXT;
ALTER TABLE "PrivacyRequest" ADD COLUMN "locale" TEXT;
ALTER TABLE "PrivacyRequest" ADD COLUMN "messageCipher" TEXT;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "name" TEXT;

-- CreateTable
CREATE TABLE "StorefrontVerification" (
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
    CONSTRAINT "StorefrontVerification_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StorefrontVerification_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "PrivacyRequest" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboundEmail" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "requestId" TEXT,
    "template" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "messageId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OutboundEmail_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StorefrontText" (
    "shopId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopId", "locale", "key"),
    CONSTRAINT "StorefrontText_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "shopId" TEXT,
    "count" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("key", "windowStart")
);

-- CreateTable
CREATE TABLE "FormTokenUse" (
    "nonce" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "StorefrontVerification_shopId_createdAt_idx" ON "StorefrontVerification"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundEmail_shopId_requestId_idx" ON "OutboundEmail"("shopId", "requestId");

-- CreateIndex
CREATE INDEX "RateLimitCounter_expiresAt_idx" ON "RateLimitCounter"("expiresAt");

-- CreateIndex
CREATE INDEX "RateLimitCounter_shopId_idx" ON "RateLimitCounter"("shopId");

-- CreateIndex
CREATE INDEX "FormTokenUse_expiresAt_idx" ON "FormTokenUse"("expiresAt");

-- CreateIndex
CREATE INDEX "FormTokenUse_shopId_idx" ON "FormTokenUse"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyRequest_shopId_dedupeKey_key" ON "PrivacyRequest"("shopId", "dedupeKey");

