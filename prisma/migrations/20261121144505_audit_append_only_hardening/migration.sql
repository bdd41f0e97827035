-- CreateIndex
CREATE UNIQUE INDEX "audit_events_prevHash_key" ON "audit_events"("prevHash");


-- The unique prevHash above keeps the chain a line: a writer that bypassed
-- recordAudit's lock and chained to an event that already has a successor
-- fails here instead of forking the chain.

-- Hardening of 20261121000100_audit_append_only:
-- 1. UPDATE and DELETE are refused per statement, not per row, so even a
--    statement that matches no row (or an upsert's DO UPDATE path) is refused.
-- 2. The triggers fire ALWAYS: with ordinary (ORIGIN) triggers a superuser's
--    `SET session_replication_role = replica` silently skipped them. Only an
--    explicit ALTER TABLE … DISABLE TRIGGER (owner or superuser) turns them
--    off now, and the hash chain catches what is done meanwhile.
-- 3. The hashes must be lower-case hex, as recordAudit writes them.
-- (The REVOKE … FROM PUBLIC of that migration changed nothing: PUBLIC never
-- holds those privileges. The application role's grants are what matter; see
-- README, "Audit log".)
DROP TRIGGER "audit_events_no_update_delete" ON "audit_events";

CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();

ALTER TABLE "audit_events" ENABLE ALWAYS TRIGGER "audit_events_no_update_delete";
ALTER TABLE "audit_events" ENABLE ALWAYS TRIGGER "audit_events_no_truncate";

ALTER TABLE "audit_events"
  ADD CONSTRAINT "audit_events_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT "audit_events_prev_hash_hex" CHECK ("prevHash" ~ '^[0-9a-f]{64}$');
