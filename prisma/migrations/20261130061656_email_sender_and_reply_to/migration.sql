-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "emailReplyTo" TEXT;
ALTER TABLE "ShopSettings" ADD COLUMN "emailSenderName" TEXT;

