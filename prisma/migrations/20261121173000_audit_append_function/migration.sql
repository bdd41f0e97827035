-- Appending to the audit chain in one round trip.
--
-- An event's hash is hex(sha256(prevHash || canonicalJson(body))), see
-- server/services/audit.ts. The application renders the canonical JSON of
-- everything it knows and leaves two gaps for what only the database can
-- give once the chain's lock is held: the event's id and its time. Each
-- event of `events` is an object
--   { actorId, actorName, action, entity, entityId, ip, data,
--     pre, mid, post }
-- and its body is pre || <at as ISO 8601 UTC with milliseconds> || mid ||
-- <id in decimal> || post. Nothing else is rendered here, so the hash stays
-- byte-for-byte the one `eventHash` computes and `npm run audit -- verify`
-- re-computes.
--
-- Before this function, the lock, the head read and the insert were three
-- round trips with the lock held, which serialised every write of the
-- application on the client's latency. Now a write can call it inside its
-- own statement, and the lock is held only for the function and the commit.
--
-- The function runs with the caller's rights (the application role needs
-- INSERT on audit_events and USAGE on its sequence, as before). It is
-- VOLATILE, so under READ COMMITTED each statement in it takes a new
-- snapshot: the head read after the lock sees the last committed event. It
-- refuses REPEATABLE READ and SERIALIZABLE, whose snapshot is older than the
-- lock and could fork the chain.
CREATE FUNCTION "audit_append"(events jsonb) RETURNS bigint[]
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
    ids[i] := nextval(pg_get_serial_sequence('"audit_events"', 'id'));
    prevs[i] := prev;
    prev := encode(sha256(convert_to(prev || (e->>'pre') || at_text || (e->>'mid') || ids[i]::text || (e->>'post'), 'UTF8')), 'hex');
    hashes[i] := prev;
  END LOOP;
  INSERT INTO "audit_events" (id, at, "actorId", "actorName", action, entity, "entityId", ip, data, "prevHash", hash)
  SELECT ids[x.i], at_, (x.e->>'actorId')::int, x.e->>'actorName', x.e->>'action', x.e->>'entity', x.e->>'entityId', x.e->>'ip',
         coalesce(x.e->'data', '{}'::jsonb), prevs[x.i], hashes[x.i]
    FROM jsonb_array_elements(events) WITH ORDINALITY AS x(e, i)
   ORDER BY x.i;
  RETURN ids;
END;
$$;
