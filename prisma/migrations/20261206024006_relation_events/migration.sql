-- CreateTable
CREATE TABLE "relation_events" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "relation_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "source_type" "EntityType" NOT NULL,
    "source_id" INTEGER NOT NULL,
    "source_version" INTEGER NOT NULL,
    "target_type" "EntityType" NOT NULL,
    "target_id" INTEGER NOT NULL,
    "target_version" INTEGER NOT NULL,
    "created_by_id" INTEGER,
    "relation_created_at" TIMESTAMPTZ(3) NOT NULL,
    "comment" TEXT,
    "actor_id" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relation_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "relation_events_at_idx" ON "relation_events"("at");

-- Hand-written (Prisma's schema language has no triggers; its differ ignores them).
-- Every relation inserted or deleted, by any statement and by foreign-key cascades (purging content, deleting a
-- space or a user), becomes an event row in the same transaction, and one notification per transaction wakes
-- every gateway instance listening on the channel (the payload is empty: instances read the rows).
--
-- The transaction advisory lock makes event ids commit-ordered: a writer takes it before its events get their
-- ids and holds it until it commits, so once an event is visible every event with a smaller id is too (or was
-- rolled back). Readers can then keep a plain "last id seen" cursor without ever skipping a late commit.
-- Statement-level triggers with transition tables: one INSERT ... SELECT per statement, however many rows a
-- cascade removes. An upsert that finds its row inserts nothing (its transition table is empty) and costs nothing.
CREATE FUNCTION relation_events_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor int := nullif(current_setting('relation_gateway.actor', true), '')::int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
    PERFORM pg_advisory_xact_lock(7419230815);
    INSERT INTO relation_events (type, relation_id, name, source_type, source_id, source_version, target_type, target_id,
      target_version, created_by_id, relation_created_at, comment, actor_id)
    SELECT 'CREATED', n.id, n.name, n.source_type, n.source_id, n.source_version, n.target_type, n.target_id,
      n.target_version, n.created_by_id, n.created_at, n.comment, coalesce(actor, n.created_by_id)
    FROM new_rows n ORDER BY n.id;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
    PERFORM pg_advisory_xact_lock(7419230815);
    INSERT INTO relation_events (type, relation_id, name, source_type, source_id, source_version, target_type, target_id,
      target_version, created_by_id, relation_created_at, comment, actor_id)
    SELECT 'DELETED', o.id, o.name, o.source_type, o.source_id, o.source_version, o.target_type, o.target_id,
      o.target_version, o.created_by_id, o.created_at, o.comment, actor
    FROM old_rows o ORDER BY o.id;
  END IF;
  PERFORM pg_notify('relation_events', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER relations_inserted_event AFTER INSERT ON "relations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION relation_events_record();

CREATE TRIGGER relations_deleted_event AFTER DELETE ON "relations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION relation_events_record();
