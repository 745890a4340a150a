// Reading the event log (table relation_events, written by the triggers of migration 20261206024006_relation_events).
// Ids increase but may commit out of order (writers do not wait for each other), so every read is bounded by the
// horizon (`eventHorizon`): at or below it every event has committed or rolled back, so a reader's "last id seen"
// cursor never skips an event that commits late.
import type { Database } from '../db/database.js';
import type { Viewer } from '../domain/access.js';
import { privateNames } from '../domain/relation-rules.js';
import { Prisma, type EntityType } from '../generated/prisma/client.js';
import { spaceViewableBy } from '../services/space-access.js';

export type RelationEventType = 'CREATED' | 'DELETED';
export const EVENT_TYPES: RelationEventType[] = ['CREATED', 'DELETED'];

export interface RelationEventRow {
  /** Safe as a number: 2^53 events is beyond any retention. */
  id: number;
  type: RelationEventType;
  relationId: number;
  name: string;
  sourceType: EntityType;
  sourceId: number;
  sourceVersion: number;
  targetType: EntityType;
  targetId: number;
  targetVersion: number;
  createdById: number | null;
  relationCreatedAt: Date;
  comment: string | null;
  actorId: number | null;
  at: Date;
}

const COLUMNS = Prisma.raw(
  `e.id::text AS id, e.type, e.relation_id AS "relationId", e.name, e.source_type AS "sourceType", e.source_id AS "sourceId",
   e.source_version AS "sourceVersion", e.target_type AS "targetType", e.target_id AS "targetId", e.target_version AS "targetVersion",
   e.created_by_id AS "createdById", e.relation_created_at AS "relationCreatedAt", e.comment, e.actor_id AS "actorId", e.at`,
);

const rowOf = (row: RelationEventRow): RelationEventRow => ({ ...row, id: Number(row.id) });

// The event log is read right after a NOTIFY announced new rows, and a replica may not have them yet.
const PRIMARY = { primary: true };

/**
 * The event log's horizon: every event id at or below it has committed or rolled back, and every later write gets a
 * larger id (migration 20261206060000_relation_events_unserialized). Waits for the relation writes in flight, up to
 * `waitMs`; null when they took longer (ask again later). 0 when no event was ever written.
 */
export async function eventHorizon(db: Database, waitMs: number): Promise<number | null> {
  const [row] = await db.read<{ horizon: string | null }>(Prisma.sql`SELECT relation_events_horizon(${waitMs}::int)::text AS horizon`, PRIMARY);
  return row?.horizon == null ? null : Number(row.horizon);
}

/** Up to `limit` events after id `after` and up to the horizon `until`, oldest first. */
export async function readEvents(db: Database, after: number, limit: number, until: number): Promise<RelationEventRow[]> {
  const rows = await db.read<RelationEventRow>(
    Prisma.sql`SELECT ${COLUMNS} FROM relation_events e WHERE e.id > ${after}::int8 AND e.id <= ${until}::int8 ORDER BY e.id LIMIT ${limit}`,
    PRIMARY,
  );
  return rows.map(rowOf);
}

/**
 * Whether the end of an event may be viewed now by the user whose id is the SQL expression `user`: users are
 * visible to everyone, a space when `spaceViewableBy` admits it, content when its space is. An end that no
 * longer exists (purged content, a deleted space) is visible to no one but site admins, who are not asked here.
 */
function endViewable(end: 'source' | 'target', user: Prisma.Sql): Prisma.Sql {
  const type = Prisma.raw(`e.${end}_type`);
  const id = Prisma.raw(`e.${end}_id`);
  return Prisma.sql`CASE ${type}
    WHEN 'USER' THEN EXISTS (SELECT 1 FROM users u WHERE u.id = ${id})
    WHEN 'SPACE' THEN EXISTS (SELECT 1 FROM spaces s WHERE s.id = ${id} AND ${spaceViewableBy('s', user)})
    ELSE EXISTS (SELECT 1 FROM content c JOIN spaces s ON s.id = c.space_id WHERE c.id = ${id} AND ${spaceViewableBy('s', user)})
  END`;
}

/**
 * Which of `events` each viewer may see now, in one statement for every viewer: both ends viewable, and a
 * private name (favourite) only for its source user. Site admins see every event. Returns event ids by viewer id.
 */
export async function visibleEvents(db: Database, viewers: Viewer[], events: RelationEventRow[]): Promise<Map<number, Set<number>>> {
  const seen = new Map<number, Set<number>>();
  const ids = events.map((e) => e.id);
  const asked: number[] = [];
  for (const viewer of viewers) {
    if (seen.has(viewer.id)) continue;
    if (viewer.siteAdmin) seen.set(viewer.id, new Set(ids));
    else {
      seen.set(viewer.id, new Set());
      asked.push(viewer.id);
    }
  }
  if (asked.length === 0 || ids.length === 0) return seen;
  const user = Prisma.raw('v.viewer');
  const rows = await db.readRows(
    Prisma.sql`
    SELECT v.viewer, e.id::text
    FROM relation_events e CROSS JOIN unnest(${asked}::int[]) AS v(viewer)
    WHERE e.id = ANY(${ids.map(String)}::int8[])
      AND (e.name <> ALL(${privateNames()}::text[]) OR (e.source_type = 'USER' AND e.source_id = v.viewer))
      AND ${endViewable('source', user)} AND ${endViewable('target', user)}`,
    PRIMARY,
  );
  for (const [viewer, id] of rows.rows) seen.get(viewer as number)!.add(Number(id));
  return seen;
}

/** Removes up to `limit` events older than `retentionMs` (oldest first, so a big backlog goes in bounded steps); returns how many. */
export async function pruneEvents(db: Database, retentionMs: number, limit = 10_000): Promise<number> {
  return db.prisma.$executeRaw(Prisma.sql`
    DELETE FROM relation_events WHERE id IN (
      SELECT id FROM relation_events WHERE at < now() - ${retentionMs} * interval '1 millisecond' ORDER BY id LIMIT ${limit})`);
}
