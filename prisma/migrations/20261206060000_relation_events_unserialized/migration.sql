-- Hand-written. Writers of relations no longer wait for each other (issue 15's write cost, docs/events.md).
--
-- Before, the event trigger took an exclusive transaction advisory lock and sent NOTIFY. Both are held by
-- PostgreSQL until after the commit record is flushed, so every relation write waited for the previous one's
-- fsync: pgbench of the gateway's upsert on this machine, 10 clients, 4,000–4,700 inserts/s without the
-- trigger, 4,000 with only the event row, 1,800–1,900 with the lock and NOTIFY.
--
-- Now each writer takes the same lock *shared*, before its events get their ids, so writers never wait for one
-- another. Ids still increase, but no longer in commit order: an id may commit after a larger one. Readers
-- therefore never read past the horizon, relation_events_horizon(): it takes the lock exclusively for an instant,
-- which waits for the writers in flight (their ids were drawn under the lock) and lets none start meanwhile, then
-- reads the sequence. Every id at or below the horizon has committed or rolled back, so "every event after id N,
-- up to the horizon" stays exact for Last-Event-ID and the webhook cursors.
--
-- The notification no longer comes from the trigger: the gateway sends NOTIFY after its writes commit, at most
-- one at a time per instance (src/db/announce.ts). Writes from elsewhere (psql) are found by the 500 ms poll.
CREATE OR REPLACE FUNCTION relation_events_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor int := nullif(current_setting('relation_gateway.actor', true), '')::int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
    PERFORM pg_advisory_xact_lock_shared(7419230815);
    INSERT INTO relation_events (type, relation_id, name, source_type, source_id, source_version, target_type, target_id,
      target_version, created_by_id, relation_created_at, comment, actor_id)
    SELECT 'CREATED', n.id, n.name, n.source_type, n.source_id, n.source_version, n.target_type, n.target_id,
      n.target_version, n.created_by_id, n.created_at, n.comment, coalesce(actor, n.created_by_id)
    FROM new_rows n ORDER BY n.id;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
    PERFORM pg_advisory_xact_lock_shared(7419230815);
    INSERT INTO relation_events (type, relation_id, name, source_type, source_id, source_version, target_type, target_id,
      target_version, created_by_id, relation_created_at, comment, actor_id)
    SELECT 'DELETED', o.id, o.name, o.source_type, o.source_id, o.source_version, o.target_type, o.target_id,
      o.target_version, o.created_by_id, o.created_at, o.comment, actor
    FROM old_rows o ORDER BY o.id;
  END IF;
  RETURN NULL;
END;
$$;

-- The largest id below which every event is settled (committed or rolled back), 0 when none was ever drawn.
-- wait_ms bounds the wait for writers in flight (NULL: no bound); past it the answer is NULL, try again later.
-- The lock is the transaction's: released when the caller's statement (or its transaction) ends, so it can never
-- be left behind on a pooled connection.
CREATE FUNCTION relation_events_horizon(wait_ms int DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  previous text := current_setting('lock_timeout');
  settled bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7419230815) THEN
    IF wait_ms IS NOT NULL THEN PERFORM set_config('lock_timeout', wait_ms || 'ms', true); END IF;
    BEGIN
      PERFORM pg_advisory_xact_lock(7419230815);
    EXCEPTION WHEN lock_not_available THEN
      PERFORM set_config('lock_timeout', previous, true);
      RETURN NULL;
    END;
    PERFORM set_config('lock_timeout', previous, true);
  END IF;
  SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO settled FROM relation_events_id_seq;
  RETURN settled;
END;
$$;
