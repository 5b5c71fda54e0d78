-- The audit trail is append-only: an event, once written, is never changed. Erasure after the
-- retention period removes whole events from the start of the chain (see the retention sweep).
CREATE FUNCTION audit_events_refuse_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();
