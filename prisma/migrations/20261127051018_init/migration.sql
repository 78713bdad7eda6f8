-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "shopifyShopId" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DataSubject" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "emailHash" TEXT,
    "wrappedKey" TEXT,
    "keyId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erasedAt" DATETIME,
    CONSTRAINT "DataSubject_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PrivacyRequest" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PrivacyRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PrivacyRequest_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "DataSubject" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subjectId" TEXT,
    "requestId" TEXT,
    "outcome" TEXT NOT NULL,
    "payload" TEXT,
    "redactedAt" DATETIME,
    CONSTRAINT "WebhookDelivery_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseToken" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "Job_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "requestId" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "data" TEXT NOT NULL,
    "subjectId" TEXT,
    "piiCipher" TEXT,
    "chainKeyId" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "AuditEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShopRedactionReceipt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopDomain" TEXT NOT NULL,
    "shopifyShopId" TEXT,
    "webhookIds" TEXT NOT NULL,
    "purgedAt" DATETIME NOT NULL,
    "removedCounts" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE INDEX "DataSubject_shopId_customerId_idx" ON "DataSubject"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "DataSubject_shopId_emailHash_idx" ON "DataSubject"("shopId", "emailHash");

-- CreateIndex
CREATE INDEX "PrivacyRequest_shopId_status_dueAt_idx" ON "PrivacyRequest"("shopId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "PrivacyRequest_shopId_receivedAt_idx" ON "PrivacyRequest"("shopId", "receivedAt");

-- CreateIndex
CREATE INDEX "PrivacyRequest_shopId_customerId_idx" ON "PrivacyRequest"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "PrivacyRequest_shopId_emailHash_idx" ON "PrivacyRequest"("shopId", "emailHash");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyRequest_shopId_shopifyDataRequestId_key" ON "PrivacyRequest"("shopId", "shopifyDataRequestId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_key" ON "WebhookDelivery"("webhookId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopId_receivedAt_idx" ON "WebhookDelivery"("shopId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopId_subjectId_idx" ON "WebhookDelivery"("shopId", "subjectId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_status_leaseUntil_idx" ON "Job"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "Job_shopId_idx" ON "Job"("shopId");

-- CreateIndex
CREATE INDEX "AuditEvent_shopId_requestId_idx" ON "AuditEvent"("shopId", "requestId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_shopId_seq_key" ON "AuditEvent"("shopId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "ShopRedactionReceipt_shopDomain_key" ON "ShopRedactionReceipt"("shopDomain");

