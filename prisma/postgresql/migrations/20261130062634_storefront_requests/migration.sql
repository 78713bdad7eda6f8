-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN     "dedupeKey" TEXT,
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "messageCipher" TEXT;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "name" TEXT;

-- CreateTable
CREATE TABLE "StorefrontVerification" (
    "requestId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "customerId" TEXT,
    "codeHash" TEXT,
    "codeCipher" TEXT,
    "codeIssuedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "resends" INTEGER NOT NULL DEFAULT 0,
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StorefrontVerification_pkey" PRIMARY KEY ("requestId")
);

-- CreateTable
CREATE TABLE "OutboundEmail" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "requestId" TEXT,
    "template" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "messageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboundEmail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorefrontText" (
    "shopId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StorefrontText_pkey" PRIMARY KEY ("shopId","locale","key")
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "shopId" TEXT,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "FormTokenUse" (
    "nonce" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FormTokenUse_pkey" PRIMARY KEY ("nonce")
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

-- AddForeignKey
ALTER TABLE "StorefrontVerification" ADD CONSTRAINT "StorefrontVerification_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorefrontVerification" ADD CONSTRAINT "StorefrontVerification_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "PrivacyRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundEmail" ADD CONSTRAINT "OutboundEmail_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorefrontText" ADD CONSTRAINT "StorefrontText_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

