-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "teamEmailLanguage" TEXT NOT NULL DEFAULT 'en';

