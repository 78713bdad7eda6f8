-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN "changesCipher" TEXT;
ALTER TABLE "PrivacyRequest" ADD COLUMN "reviewedSnapshotHash" TEXT;

