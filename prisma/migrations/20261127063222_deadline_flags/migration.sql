-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN "dueSoonFlaggedAt" DATETIME;
ALTER TABLE "PrivacyRequest" ADD COLUMN "overdueFlaggedAt" DATETIME;

-- CreateIndex
CREATE INDEX "PrivacyRequest_dueAt_idx" ON "PrivacyRequest"("dueAt");

