-- DropForeignKey
ALTER TABLE "StorefrontVerification" DROP CONSTRAINT "StorefrontVerification_requestId_fkey";


-- A verification's request must exist and belong to the verification's shop. This trigger replaces
-- the foreign key, as request_subject_trigger did for a request's subject: every write is checked
-- (the shop too), but deleting a request no longer runs a statement per request to look for its
-- verification. Only shop/redact deletes requests, after their shop's verifications.
CREATE FUNCTION "StorefrontVerification_request_check"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The lock a foreign key takes: nothing deletes the request before this transaction ends.
  PERFORM 1 FROM "PrivacyRequest" WHERE "id" = NEW."requestId" AND "shopId" = NEW."shopId" FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'StorefrontVerification: request % is not a request of shop %', NEW."requestId", NEW."shopId"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "StorefrontVerification_request_check" BEFORE INSERT OR UPDATE OF "requestId", "shopId" ON "StorefrontVerification"
  FOR EACH ROW EXECUTE FUNCTION "StorefrontVerification_request_check"();
