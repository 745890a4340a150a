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
import { eventHorizon, readEvents, type RelationEventRow, visibleEvents } from './log.js';
import { payloadsFor } from './webhook-payload.js';
import { type Attempt, post } from './webhook-post.js';
import { dropHead, type Leased, lease, type Outcome, recordAttempt, release, releaseAll } from './webhook-queue.js';
import { nextAttempt } from './webhook-retry.js';

/** After this long on one webhook an instance gives it back (another instance may take it), so one busy webhook does not hog it. */
const WORK_PER_LEASE_MS = 30_000;
const MAX_IN_FLIGHT = 8;
/**
 * Leasing runs at most this often. Every relation write notifies every instance; leasing on each notification kept
 * all instances querying the webhooks table back to back under a write load (the create-relation rate fell by half
 * in `npm run bench:events`, with no webhook at all). A delivery may start up to this much later.
 */
const LEASE_GAP_MS = 200;
const BATCH = 100;
/** How often the worker looks whether any webhook exists: only then does this instance listen for notifications for them. */
const WEBHOOKS_CHECK_MS = 5_000;
/** How long a delivery run waits for relation writes in flight to settle before it reads the log (src/events/log.ts). */
const HORIZON_WAIT_MS = 1_000;

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
  let leasedAt = 0;
  let later: NodeJS.Timeout | undefined;

  const wake = () => {
    if (stopped) return;
    const wait = leasedAt + LEASE_GAP_MS - Date.now();
    if (wait > 0) {
      later ??= setTimeout(() => {
        later = undefined;
        wake();
      }, wait);
      later.unref();
      return;
    }
    if (leasing) {
      again = true;
      return;
    }
    leasing = true;
    void (async () => {
      try {
        do {
          again = false;
          leasedAt = Date.now();
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
    const horizon = await eventHorizon(db, HORIZON_WAIT_MS);
    if (horizon === null) return release(db, instance, hook.id, cursor); // a long write in flight: the next lease tries again
    for (;;) {
      const events = await readEvents(db, cursor, BATCH, horizon);
      if (events.length === 0) break;
      const wanted = events.filter((e) => hook.events.includes(e.type) && (hook.relationName === null || e.name === hook.relationName));
      // Permission at delivery time: what the owner may see now.
      const visible = (await visibleEvents(db, [viewer], wanted)).get(viewer.id)!;
      const due = wanted.filter((e) => visible.has(e.id));
      const payloads = await payloadsFor(db, due);
      for (const event of events) {
        if (stopped || Date.now() >= until) return release(db, instance, hook.id, cursor);
        // Asked again just before the POST: attempts before it may have taken a while (a slow receiver).
        const stillVisible = payloads.has(event.id) && (viewer.siteAdmin || (await visibleEvents(db, [viewer], [event])).get(viewer.id)!.has(event.id));
        if (!stillVisible) {
          if (event.id === hook.headEventId) {
            await dropHead(db, instance, hook.id, event.id);
            forgetHead(hook);
          }
          cursor = event.id;
          continue;
        }
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

  /**
   * Stores an attempt's outcome; true when the cursor moved past the event (delivered, or given up after the
   * retry window), false when it is retried later (the lease given back) or the lease was lost.
   */
  async function record(hook: Leased, event: RelationEventRow, attempt: Attempt, skipped: number): Promise<boolean> {
    const head = hook.headEventId === event.id;
    const failures = (head ? hook.attempts : 0) + 1;
    const firstFailure = (head ? hook.failingSince : null) ?? new Date();
    const step = attempt.ok ? null : nextAttempt(failures, firstFailure.getTime(), Date.now(), config.webhookRetryScale);
    const outcome: Outcome =
      step === null
        ? { moved: true, status: 'delivered' }
        : 'giveUp' in step
          ? { moved: true, status: 'failed' }
          : { moved: false, status: 'retrying', skipped, failures, firstFailure, delayMs: step.retryAt - Date.now() };
    const stored = await recordAttempt(db, instance, hook.id, event.id, outcome, { attempts: failures, status: attempt.status, error: attempt.error });
    if (!stored) return false; // another instance holds it now: it carries on from the stored cursor
    if (outcome.status !== 'delivered') log.warn(`Webhook ${hook.id}: event ${event.id} ${outcome.status === 'failed' ? 'failed for good' : 'failed'}: ${attempt.error}`);
    if (outcome.moved) forgetHead(hook);
    return outcome.moved;
  }

  // The hub wakes us on every event notification and on its 500 ms poll, which is also what picks up due retries.
  const hub = eventsOf(db, log);
  const unsubscribe = hub.onWake(wake);
  const checkWebhooks = () =>
    db
      .read<{ any: boolean }>(Prisma.sql`SELECT EXISTS (SELECT 1 FROM webhooks) AS "any"`, { primary: true })
      .then(([row]) => hub.listenFor('webhooks', !stopped && row.any))
      .catch(() => {}); // asked again at the next check
  const checking = setInterval(checkWebhooks, WEBHOOKS_CHECK_MS);
  checking.unref();
  void checkWebhooks();
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(checking);
    hub.listenFor('webhooks', false);
    clearTimeout(later);
    unsubscribe();
    aborting.abort();
    await Promise.allSettled([...inFlight.values()]);
    await releaseAll(db, instance).catch(() => {});
  };
  db.onClose(stop);
  wake();
  return { wake, stop };
}

function forgetHead(hook: Leased): void {
  hook.headEventId = null;
  hook.attempts = 0;
  hook.failingSince = null;
}
