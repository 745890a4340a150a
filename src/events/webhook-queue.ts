// The webhook queue's rows (table webhooks, docs/events.md "Guarantees"): each webhook holds a cursor into the event
// log and the retry state of the event at its head. Every change here is one statement, guarded by the lease, so
// an instance whose lease was taken over changes nothing.
import type { Database } from '../db/database.js';
import { Prisma } from '../generated/prisma/client.js';
import { ATTEMPT_TIMEOUT_MS } from './webhook-post.js';

/** Covers one attempt and its recording; every recorded delivery extends it. A killed instance's lease runs out this soon. */
export const LEASE_MS = ATTEMPT_TIMEOUT_MS + 10_000;
const DELIVERIES_KEPT = 100;

export interface Leased {
  id: number;
  ownerId: number;
  url: string;
  secret: string;
  events: string[];
  relationName: string | null;
  cursor: number;
  headEventId: number | null;
  attempts: number;
  failingSince: Date | null;
}

/** What became of an attempt at the event `eventId`. */
export type Outcome =
  | { moved: true; status: 'delivered' | 'failed' }
  | { moved: false; status: 'retrying'; skipped: number; failures: number; firstFailure: Date; delayMs: number };

/** Leases up to `limit` webhooks, not in `busy`, that have events after their cursor and whose next attempt is due. */
export async function lease(db: Database, instance: string, limit: number, busy: number[]): Promise<Leased[]> {
  const rows = await db.prisma.$queryRaw<(Omit<Leased, 'cursor' | 'headEventId'> & { cursor: string; headEventId: string | null })[]>(Prisma.sql`
    UPDATE webhooks w SET lease_until = now() + ${LEASE_MS} * interval '1 millisecond', leased_by = ${instance}
    WHERE w.id IN (
      SELECT id FROM webhooks
      WHERE next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now()) AND id <> ALL(${busy}::int[])
        AND cursor < (SELECT coalesce(max(id), 0) FROM relation_events)
      ORDER BY next_attempt_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING w.id, w.owner_id AS "ownerId", w.url, w.secret, w.events, w.relation_name AS "relationName", w.cursor::text AS cursor,
      w.head_event_id::text AS "headEventId", w.attempts, w.failing_since AS "failingSince"`);
  return rows.map((row) => ({ ...row, cursor: Number(row.cursor), headEventId: row.headEventId === null ? null : Number(row.headEventId) }));
}

/**
 * Stores an attempt and its delivery row (keeping the last DELIVERIES_KEPT), in one statement: past the event
 * (delivered or given up) the cursor moves and the lease is extended; for a retry the head's state is kept and
 * the lease given back. False when the lease is no longer this instance's (nothing was stored).
 */
export async function recordAttempt(
  db: Database,
  instance: string,
  webhookId: number,
  eventId: number,
  outcome: Outcome,
  answer: { attempts: number; status: number | null; error: string | null },
): Promise<boolean> {
  const update = outcome.moved
    ? Prisma.sql`cursor = ${eventId}::int8, head_event_id = NULL, attempts = 0, failing_since = NULL, next_attempt_at = now(),
        lease_until = now() + ${LEASE_MS} * interval '1 millisecond'`
    : Prisma.sql`cursor = ${outcome.skipped}::int8, head_event_id = ${eventId}::int8, attempts = ${outcome.failures},
        failing_since = ${outcome.firstFailure}, next_attempt_at = now() + ${outcome.delayMs} * interval '1 millisecond',
        lease_until = NULL, leased_by = NULL`;
  const rows = await db.prisma.$queryRaw<unknown[]>(Prisma.sql`
    WITH hook AS (UPDATE webhooks SET ${update} WHERE id = ${webhookId} AND leased_by = ${instance} RETURNING id),
    recorded AS (
      INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, last_status, last_error)
      SELECT id, ${eventId}::int8, ${outcome.status}, ${answer.attempts}, ${answer.status}, ${answer.error} FROM hook
      ON CONFLICT (webhook_id, event_id) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts,
        last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error, updated_at = now()
      RETURNING webhook_id),
    pruned AS (
      DELETE FROM webhook_deliveries d WHERE d.webhook_id = ${webhookId} AND d.event_id <= (
        SELECT event_id FROM webhook_deliveries WHERE webhook_id = ${webhookId} ORDER BY event_id DESC OFFSET ${DELIVERIES_KEPT} LIMIT 1))
    SELECT webhook_id FROM recorded`);
  return rows.length > 0;
}

/** The event being retried is no longer for this webhook (its owner may not see it now): it ends as failed. */
export async function dropHead(db: Database, instance: string, webhookId: number, eventId: number): Promise<void> {
  await db.prisma.$executeRaw(Prisma.sql`
    WITH hook AS (
      UPDATE webhooks SET head_event_id = NULL, attempts = 0, failing_since = NULL
      WHERE id = ${webhookId} AND leased_by = ${instance} RETURNING id)
    UPDATE webhook_deliveries SET status = 'failed', last_error = 'skipped: the owner may no longer see this event', updated_at = now()
    WHERE webhook_id IN (SELECT id FROM hook) AND event_id = ${eventId}::int8 AND status = 'retrying'`);
}

/** Stores how far the queue got (events skipped as not wanted or not visible) and gives the lease back. */
export async function release(db: Database, instance: string, webhookId: number, cursor: number): Promise<void> {
  await db.prisma.$executeRaw(Prisma.sql`
    UPDATE webhooks SET cursor = greatest(cursor, ${cursor}::int8), lease_until = NULL, leased_by = NULL
    WHERE id = ${webhookId} AND leased_by = ${instance}`);
}

/** Gives back every lease of this instance (it stops). */
export async function releaseAll(db: Database, instance: string): Promise<void> {
  await db.prisma.$executeRaw(Prisma.sql`UPDATE webhooks SET lease_until = NULL, leased_by = NULL WHERE leased_by = ${instance}`);
}
