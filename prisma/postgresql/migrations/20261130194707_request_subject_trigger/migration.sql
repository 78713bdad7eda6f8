-- DropForeignKey
ALTER TABLE "PrivacyRequest" DROP CONSTRAINT "PrivacyRequest_subjectId_fkey";


-- A request's subject must exist and belong to the request's shop. This trigger replaces the
-- foreign key: it checks every write as the key did (and the shop, which the key did not), but
-- deleting a subject no longer runs a statement per subject to clear the requests naming it. Only
-- shop/redact deletes subjects, after their shop's requests (docs/decisions/005).
CREATE FUNCTION "PrivacyRequest_subject_check"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."subjectId" IS NOT NULL THEN
    -- The lock a foreign key takes: nothing deletes the subject before this transaction ends.
    PERFORM 1 FROM "DataSubject" WHERE "id" = NEW."subjectId" AND "shopId" = NEW."shopId" FOR KEY SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'PrivacyRequest %: subject % is not a subject of shop %', NEW."id", NEW."subjectId", NEW."shopId"
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "PrivacyRequest_subject_check" BEFORE INSERT OR UPDATE OF "subjectId", "shopId" ON "PrivacyRequest"
  FOR EACH ROW EXECUTE FUNCTION "PrivacyRequest_subject_check"();
