ALTER TABLE "request_identifiers" ADD COLUMN "proof_source" text;--> statement-breakpoint
ALTER TABLE "request_identifiers" ADD COLUMN "proof_level" text;--> statement-breakpoint
-- Before this, a proof was either a code (e-mail) or a staff confirmation, which the audit trail names.
UPDATE "request_identifiers" SET "proof_source" = CASE
  WHEN "id"::text IN (SELECT "data"->>'identifierId' FROM "audit_events" WHERE "action" = 'identifier.confirmed') THEN 'staff-check'
  ELSE 'email-code' END
WHERE "proven_at" IS NOT NULL;
