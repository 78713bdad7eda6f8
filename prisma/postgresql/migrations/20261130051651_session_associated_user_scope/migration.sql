-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "associatedUserScope" TEXT;

-- As in the SQLite migration: online sessions stored before this column existed do not say what
-- their staff member may do; forgetting them makes token exchange store them again with it.
DELETE FROM "Session" WHERE "isOnline" = true;
