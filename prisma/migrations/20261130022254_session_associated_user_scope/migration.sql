-- AlterTable
ALTER TABLE "Session" ADD COLUMN "associatedUserScope" TEXT;


-- Online sessions stored before this column existed do not say what their staff member may do.
-- Forgetting them makes the next request of each staff member run token exchange again, which
-- stores the session with its associated_user_scope; the offline session is kept.
DELETE FROM "Session" WHERE "isOnline" = true;
