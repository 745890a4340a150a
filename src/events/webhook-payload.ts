// The JSON body of a webhook delivery (docs/events.md, "Payload"): the event with each end named by the key the
// faces accept (a user's accountId, a space's key, a content id), looked up for a whole batch in one statement.
import type { Database } from '../db/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { RelationEventRow } from './log.js';

export interface EndJson {
  type: 'USER' | 'SPACE' | 'CONTENT';
  id: number;
  /** accountId, space key or content id; null when the entity no longer exists. */
  key: string | null;
  /** The content version the end is pinned to; 0 when it follows the latest. */
  version: number;
}

export interface WebhookPayload {
  type: 'relation.created' | 'relation.deleted';
  timestamp: string;
  data: {
    eventId: string;
    relationId: number;
    name: string;
    source: EndJson;
    target: EndJson;
    /** The accountId of who made the change; null when unknown (a delete by a cascade the gateway did not name). */
    actor: { accountId: string } | null;
    at: string;
  };
}

/** The payload of each event, by event id. */
export async function payloadsFor(db: Database, events: RelationEventRow[]): Promise<Map<number, WebhookPayload>> {
  const users = new Set<number>();
  const spaces = new Set<number>();
  for (const e of events) {
    for (const [type, id] of [
      [e.sourceType, e.sourceId],
      [e.targetType, e.targetId],
    ] as const) {
      if (type === 'USER') users.add(id);
      if (type === 'SPACE') spaces.add(id);
    }
    if (e.actorId !== null) users.add(e.actorId);
  }
  const keys = new Map<string, string>();
  if (users.size + spaces.size > 0) {
    const rows = await db.prisma.$queryRaw<{ kind: string; id: number; key: string }[]>(Prisma.sql`
      SELECT 'USER' AS kind, id, account_id AS key FROM users WHERE id = ANY(${[...users]}::int[])
      UNION ALL SELECT 'SPACE', id, key FROM spaces WHERE id = ANY(${[...spaces]}::int[])`);
    for (const row of rows) keys.set(`${row.kind}:${row.id}`, row.key);
  }
  const end = (type: EndJson['type'], id: number, version: number): EndJson => ({
    type,
    id,
    key: type === 'CONTENT' ? String(id) : (keys.get(`${type}:${id}`) ?? null),
    version,
  });
  const payloads = new Map<number, WebhookPayload>();
  for (const e of events) {
    const actor = e.actorId === null ? undefined : keys.get(`USER:${e.actorId}`);
    payloads.set(e.id, {
      type: e.type === 'CREATED' ? 'relation.created' : 'relation.deleted',
      timestamp: e.at.toISOString(),
      data: {
        eventId: String(e.id),
        relationId: e.relationId,
        name: e.name,
        source: end(e.sourceType, e.sourceId, e.sourceVersion),
        target: end(e.targetType, e.targetId, e.targetVersion),
        actor: actor ? { accountId: actor } : null,
        at: e.at.toISOString(),
      },
    });
  }
  return payloads;
}
