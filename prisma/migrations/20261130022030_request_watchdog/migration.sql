-- AlterTable
ALTER TABLE "Job" ADD COLUMN "requestId" TEXT;

-- Jobs queued before this column existed name their request only in the payload.
UPDATE "Job" SET "requestId" = json_extract("payload", '$.requestId') WHERE "kind" = 'execute_request';

-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN "watchdogRequeues" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Job_requestId_status_idx" ON "Job"("requestId", "status");
