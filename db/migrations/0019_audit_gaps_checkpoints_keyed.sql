CREATE TABLE "audit_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"events" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"mac" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_gaps" (
	"first_seq" bigint PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL,
	"events" integer NOT NULL,
	"prev_hash" text NOT NULL,
	"last_hash" text NOT NULL,
	"oldest_at" timestamp with time zone NOT NULL,
	"newest_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"mac" text NOT NULL,
	CONSTRAINT "audit_gaps_last_seq_unique" UNIQUE("last_seq")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "keyed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_checkpoints_seq" ON "audit_checkpoints" USING btree ("seq");--> statement-breakpoint
-- Events leave the trail only within a gap the retention sweep records in the same transaction
-- (app/server/audit/gaps.server.ts): it names the gap in a transaction-local setting, and the gap
-- must cover the event. TRUNCATE would pass row triggers by, so it is refused outright.
CREATE FUNCTION audit_events_refuse_delete() RETURNS trigger AS $$
DECLARE
  gap text := current_setting('rechteportal.audit_gap', true);
BEGIN
  IF gap IS NULL OR gap !~ '^[0-9]+$' OR NOT EXISTS (
    SELECT 1 FROM audit_gaps g WHERE g.first_seq = gap::bigint AND OLD.seq BETWEEN g.first_seq AND g.last_seq
  ) THEN
    RAISE EXCEPTION 'audit events are deleted only within a recorded gap of the retention sweep';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_delete_in_gap BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_delete();
--> statement-breakpoint
CREATE FUNCTION audit_events_refuse_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are deleted only within a recorded gap of the retention sweep';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_truncate();
--> statement-breakpoint
-- Gaps and checkpoints are the trail's own evidence: written once, never changed or removed.
CREATE FUNCTION audit_records_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit checkpoints and gaps are append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_gaps_append_only BEFORE UPDATE OR DELETE ON audit_gaps
  FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_gaps_no_truncate BEFORE TRUNCATE ON audit_gaps
  FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change();
