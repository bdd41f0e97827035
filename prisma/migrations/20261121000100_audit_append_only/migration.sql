-- The audit log is append-only, enforced by the database and not only by the
-- application: UPDATE, DELETE and TRUNCATE of audit_events are refused for
-- every role, the table owner included. Tampering by a superuser who disables
-- the trigger is caught by the hash chain (npm run audit -- verify).
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();

REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM PUBLIC;
