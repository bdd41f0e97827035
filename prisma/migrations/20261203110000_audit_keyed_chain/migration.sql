-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "keyId" CHAR(16);


-- A keyed audit chain. From this migration on every event is keyed:
--   tag  = hex(HMAC-SHA256(key, canonicalJson(the event without id and at)))
--   hash = hex(sha256(prevHash || tag || canonicalJson(body)))
-- The key lives outside the database (COPYDESK_AUDIT_KEY or a key file) and
-- never reaches it: the application computes the tag, passes it with the
-- event, and the database only chains it in. Nothing stores the tag, so
-- whoever can rewrite audit_events (the owner, a superuser) cannot recompute
-- the hash of an event after it without the key. `keyId` names the key
-- (the first 16 hex characters of HMAC-SHA256(key, "copydesk audit key id"));
-- it is NULL for the events written before this migration, which keep their
-- unkeyed sha256 hash and are verified as the chain's legacy prefix. See
-- docs/security.md, "The audit log".
ALTER TABLE "audit_events"
  ADD CONSTRAINT "audit_events_key_id_hex" CHECK ("keyId" ~ '^[0-9a-f]{16}$');

-- audit_append now requires a tag and a keyId with every event: after this
-- migration no unkeyed event can be appended, whatever the caller.
CREATE OR REPLACE FUNCTION "audit_append"(events jsonb) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  n int := jsonb_array_length(events);
  prev text;
  at_ timestamptz(3);
  at_text text;
  ids bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
  e jsonb;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'the audit log needs a READ COMMITTED transaction, not %: its snapshot could miss the latest audit event',
      upper(current_setting('transaction_isolation'))
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF n = 0 THEN
    RETURN ids;
  END IF;
  -- 0x636f7079 ("copy"): the key every writer of the chain takes, held to COMMIT.
  PERFORM pg_advisory_xact_lock(1668247673);
  SELECT hash INTO prev FROM "audit_events" ORDER BY id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  at_ := clock_timestamp();
  at_text := to_char(at_ AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  FOR i IN 1..n LOOP
    e := events -> (i - 1);
    -- Checked here rather than in a pass of its own: the save path calls this for every save.
    -- The keyId's form is the table's CHECK; a wrong tag only makes a hash that verify refuses.
    IF length(e->>'tag') IS DISTINCT FROM 64 OR e->>'keyId' IS NULL THEN
      RAISE EXCEPTION 'audit events must be keyed: every event needs its HMAC tag and keyId'
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    ids[i] := nextval(pg_get_serial_sequence('"audit_events"', 'id'));
    prevs[i] := prev;
    prev := encode(sha256(convert_to(prev || (e->>'tag') || (e->>'pre') || at_text || (e->>'mid') || ids[i]::text || (e->>'post'), 'UTF8')), 'hex');
    hashes[i] := prev;
  END LOOP;
  INSERT INTO "audit_events" (id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash, "keyId")
  SELECT ids[x.i], at_, (x.e->>'actorId')::int, x.e->>'actorName', x.e->>'action', x.e->>'entity', x.e->>'entityId', x.e->>'ip',
         coalesce(x.e->'data', '{}'::jsonb), prevs[x.i], hashes[x.i], x.e->>'keyId'
    FROM jsonb_array_elements(events) WITH ORDINALITY AS x(e, i)
   ORDER BY x.i;
  RETURN ids;
END;
$$;
