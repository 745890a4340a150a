// The webhook deliverer, one per process (docs/events.md, "Webhooks"). The queue is the database: each webhook row
// holds a cursor into the event log and the retry state of the event at its head. An instance leases due webhooks
// (FOR UPDATE SKIP LOCKED, so two instances never deliver one webhook at once; a killed instance's lease expires),
// POSTs their events one at a time in id order, and moves the cursor only once an event is delivered or given up:
// a crash in between means a redelivery with the same webhook-id (at least once), never a loss.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Viewer } from '../domain/access.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../observability/log.js';
import { eventsOf } from './hub.js';
import { readEvents, type RelationEventRow, visibleEvents } from './log.js';
import { payloadsFor } from './webhook-payload.js';
import { ATTEMPT_TIMEOUT_MS, type Attempt, post } from './webhook-post.js';
import { nextAttempt } from './webhook-retry.js';

/** Covers one attempt and its recording; every recorded delivery extends it. A killed instance's lease runs out this soon. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 10_000;
/** Then the webhook is given back, so one busy webhook does not keep an instance to itself. */
const WORK_PER_LEASE_MS = 30_000;
const MAX_IN_FLIGHT = 8;
const BATCH = 100;
const DELIVERIES_KEPT = 100;

interface Leased {
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

export interface WebhookWorker {
  /** Looks for due webhooks now (also done on every event notification and poll). */
  wake(): void;
  /** Starts nothing new, aborts attempts under way (they are retried), gives back its leases. */
  stop(): Promise<void>;
}

export function startWebhookWorker({ db, config, log }: { db: Database; config: Config; log: Logger }): WebhookWorker {
  const instance = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const aborting = new AbortController();
  const inFlight = new Map<number, Promise<void>>();
  let stopped = false;
  let leasing = false;
  let again = false;

  const wake = () => {
    if (stopped) return;
    if (leasing) {
      again = true;
      return;
    }
    leasing = true;
    void (async () => {
      try {
        do {
          again = false;
          const free = MAX_IN_FLIGHT - inFlight.size;
          if (free <= 0) break;
          for (const hook of await lease(db, instance, free, [...inFlight.keys()])) {
            if (stopped) break;
            const task = deliver(hook)
              .catch((error: unknown) => {
                if (!stopped) log.warn(`Delivering webhook ${hook.id} failed; it is tried again shortly`, error);
                return release(db, instance, hook.id, hook.cursor).catch(() => {});
              })
              .finally(() => {
                inFlight.delete(hook.id);
                wake();
              });
            inFlight.set(hook.id, task);
          }
        } while (again && !stopped);
      } catch (error) {
        if (!stopped) log.warn('Leasing webhooks failed; trying again shortly', error);
      } finally {
        leasing = false;
      }
    })();
  };

  /** Delivers the webhook's due events until its queue is empty, an attempt fails, or its lease time is used up. */
  async function deliver(hook: Leased): Promise<void> {
    const until = Date.now() + WORK_PER_LEASE_MS;
    const [owner] = await db.prisma.$queryRaw<{ siteAdmin: boolean }[]>(Prisma.sql`SELECT site_admin AS "siteAdmin" FROM users WHERE id = ${hook.ownerId}`);
    if (!owner) return; // the owner is gone, and the webhook with them (cascade)
    const viewer: Viewer = { id: hook.ownerId, siteAdmin: owner.siteAdmin, tokenId: 0 };
    let cursor = hook.cursor;
    for (;;) {
      const events = await readEvents(db, cursor, BATCH);
      if (events.length === 0) break;
      const wanted = events.filter((e) => hook.events.includes(e.type) && (hook.relationName === null || e.name === hook.relationName));
      // Permission at delivery time: what the owner may see now.
      const visible = (await visibleEvents(db, [viewer], wanted)).get(viewer.id)!;
      const due = wanted.filter((e) => visible.has(e.id));
      const payloads = await payloadsFor(db, due);
      for (const event of events) {
        if (!payloads.has(event.id)) {
          if (event.id === hook.headEventId) await dropHead(hook);
          cursor = event.id;
          continue;
        }
        if (stopped || Date.now() >= until) return release(db, instance, hook.id, cursor);
        const attempt = await post(
          { url: hook.url, secret: hook.secret, id: `msg_${hook.id}_${event.id}`, body: JSON.stringify(payloads.get(event.id)) },
          config.webhookAllowHosts,
          aborting.signal,
        );
        if (stopped) return release(db, instance, hook.id, cursor);
        const moved = await record(hook, event, attempt, cursor);
        if (!moved) return;
        cursor = event.id;
      }
    }
    await release(db, instance, hook.id, cursor);
  }

  /** The event being retried is no longer for this webhook (its owner may not see it now): it ends as failed. */
  async function dropHead(hook: Leased): Promise<void> {
    await db.prisma.$executeRaw(Prisma.sql`
      WITH hook AS (
        UPDATE webhooks SET head_event_id = NULL, attempts = 0, failing_since = NULL
        WHERE id = ${hook.id} AND leased_by = ${instance} RETURNING id)
      UPDATE webhook_deliveries SET status = 'failed', last_error = 'skipped: the owner may no longer see this event', updated_at = now()
      WHERE webhook_id IN (SELECT id FROM hook) AND event_id = ${hook.headEventId}::int8 AND status = 'retrying'`);
    hook.headEventId = null;
    hook.attempts = 0;
    hook.failingSince = null;
  }

  /**
   * Stores an attempt's outcome; true when the cursor moved past the event (delivered, or given up after the
   * retry window), false when it is retried later (the lease given back) or the lease was lost.
   */
  async function record(hook: Leased, event: RelationEventRow, attempt: Attempt, skipped: number): Promise<boolean> {
    const head = hook.headEventId === event.id;
    const failures = (head ? hook.attempts : 0) + 1;
    const firstFailure = (head ? hook.failingSince : null) ?? new Date();
    const step = attempt.ok ? null : nextAttempt(failures, firstFailure.getTime(), Date.now(), config.webhookRetryScale);
    const retry = step && 'retryAt' in step ? step.retryAt - Date.now() : null;
    const status = attempt.ok ? 'delivered' : retry === null ? 'failed' : 'retrying';
    const update =
      retry === null
        ? Prisma.sql`cursor = ${event.id}::int8, head_event_id = NULL, attempts = 0, failing_since = NULL, next_attempt_at = now(),
            lease_until = now() + ${LEASE_MS} * interval '1 millisecond'`
        : Prisma.sql`cursor = ${skipped}::int8, head_event_id = ${event.id}::int8, attempts = ${failures}, failing_since = ${firstFailure},
            next_attempt_at = now() + ${retry} * interval '1 millisecond', lease_until = NULL, leased_by = NULL`;
    const rows = await db.prisma.$queryRaw<unknown[]>(Prisma.sql`
      WITH hook AS (UPDATE webhooks SET ${update} WHERE id = ${hook.id} AND leased_by = ${instance} RETURNING id),
      recorded AS (
        INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, last_status, last_error)
        SELECT id, ${event.id}::int8, ${status}, ${failures}, ${attempt.status}, ${attempt.error} FROM hook
        ON CONFLICT (webhook_id, event_id) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts,
          last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error, updated_at = now()
        RETURNING webhook_id),
      pruned AS (
        DELETE FROM webhook_deliveries d WHERE d.webhook_id = ${hook.id} AND d.event_id <= (
          SELECT event_id FROM webhook_deliveries WHERE webhook_id = ${hook.id} ORDER BY event_id DESC OFFSET ${DELIVERIES_KEPT} LIMIT 1))
      SELECT webhook_id FROM recorded`);
    if (rows.length === 0) return false; // another instance holds it now: it carries on from the stored cursor
    if (status !== 'delivered') log.warn(`Webhook ${hook.id}: event ${event.id} ${status === 'failed' ? 'failed for good' : 'failed'}: ${attempt.error}`);
    if (attempt.ok || retry === null) {
      hook.headEventId = null;
      hook.attempts = 0;
      hook.failingSince = null;
    }
    return retry === null;
  }

  const unsubscribe = eventsOf(db, log).onWake(wake);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    aborting.abort();
    await Promise.allSettled([...inFlight.values()]);
    await db.prisma.$executeRaw(Prisma.sql`UPDATE webhooks SET lease_until = NULL, leased_by = NULL WHERE leased_by = ${instance}`).catch(() => {});
  };
  db.onClose(stop);
  wake();
  return { wake, stop };
}

/** Leases up to `limit` webhooks that have events after their cursor and whose next attempt is due. */
async function lease(db: Database, instance: string, limit: number, busy: number[]): Promise<Leased[]> {
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

/** Stores how far the queue got (events skipped as not wanted or not visible) and gives the lease back. */
async function release(db: Database, instance: string, id: number, cursor: number): Promise<void> {
  await db.prisma.$executeRaw(Prisma.sql`
    UPDATE webhooks SET cursor = greatest(cursor, ${cursor}::int8), lease_until = NULL, leased_by = NULL
    WHERE id = ${id} AND leased_by = ${instance}`);
}
