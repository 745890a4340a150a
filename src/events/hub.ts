// One per database in each process: wakes on the event log's notification (or a short poll, should one be lost),
// reads the new rows once, decides visibility for every open stream's viewer in one statement, and hands each
// stream the events it may see, in id order. docs/events.md describes the guarantees.
import type { Database } from '../db/database.js';
import type { Viewer } from '../domain/access.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../observability/log.js';
import { EVENTS_CHANNEL } from '../db/announce.js';
import { eventHorizon, readEvents, type RelationEventRow, visibleEvents } from './log.js';

const BATCH = 500;
/**
 * Each step first asks for the event log's horizon, which waits for the relation writes in flight and holds new
 * ones back meanwhile (src/events/log.ts). So steps are at least this far apart, whatever the rate of
 * notifications, and wait at most HORIZON_WAIT_MS for a long writing transaction; then the next try is
 * BLOCKED_RETRY_MS later, so a long import is not slowed down by a hub asking again and again.
 */
const STEP_GAP_MS = 20;
const HORIZON_WAIT_MS = 100;
const BLOCKED_RETRY_MS = 250;
/**
 * An instance LISTENs only while it has something to deliver: open streams, or webhooks in the database (the
 * webhook worker says so, `listenFor`). Every listening connection costs PostgreSQL a wake-up per notification
 * (about 0.4 ms of CPU each, measured with pgbench), on every write of every instance. It stops this long after
 * the last need, so a subscriber reconnecting does not make it stop and start again.
 */
const UNLISTEN_AFTER_MS = 10_000;
/** The poll and the revocation check: a revoked token's streams end within this (plus one statement). */
const TICK_MS = 500;
/** A stream whose reader lags this far behind is ended; its client reconnects with Last-Event-ID and loses nothing. */
const MAX_QUEUED = 10_000;

export interface StreamOptions {
  /** Last-Event-ID: first replay every retained event after this id. Omitted: only what happens from now on. */
  after?: number;
  /** The subscription's own filter (name, ends, types), applied before visibility. */
  accept(event: RelationEventRow): boolean;
  signal?: AbortSignal;
}

class Stream {
  private queue: RelationEventRow[] = [];
  private waiting: ((event: RelationEventRow | null) => void) | undefined;
  ended = false;
  /** Set when the hub attaches the stream: live events are those after it. */
  attached: Promise<number>;
  attach!: (seen: number) => void;

  constructor(
    readonly viewer: Viewer,
    readonly accept: (event: RelationEventRow) => boolean,
  ) {
    this.attached = new Promise((resolve) => (this.attach = resolve));
  }

  push(event: RelationEventRow): void {
    if (this.ended) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake(event);
    } else if (this.queue.length >= MAX_QUEUED) this.end();
    else this.queue.push(event);
  }

  next(): Promise<RelationEventRow | null> {
    const event = this.queue.shift();
    if (event) return Promise.resolve(event);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  end(): void {
    this.ended = true;
    this.attach(-1);
    this.waiting?.(null);
    this.waiting = undefined;
  }
}

export class EventHub {
  private streams = new Set<Stream>();
  private pending: Stream[] = [];
  /** The last event id handed to the streams; null while nobody listens (then nothing is read). */
  private seen: number | null = null;
  private running = false;
  private again = false;
  private closed = false;
  /** No step before this time (the gap after the last step, or the retry after a blocked horizon). */
  private notBefore = 0;
  private later: NodeJS.Timeout | undefined;
  private listening: Promise<(() => Promise<void>) | undefined> | undefined;
  /** Needs to listen besides open streams (`listenFor`), and when the last need was seen. */
  private wanted = new Set<string>();
  private neededAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private wakeListeners = new Set<() => void>();
  private deliveredListeners = new Set<(lagSeconds: number) => void>();

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {
    db.onClose(() => this.close());
  }

  /** Streams open in this process, for /metrics. */
  get openStreams(): number {
    return this.streams.size + this.pending.length;
  }

  /** Calls `listener` for every event handed to a stream, with the time since the event was written (for /metrics). */
  onDelivered(listener: (lagSeconds: number) => void): void {
    this.deliveredListeners.add(listener);
  }

  /** Calls `listener` whenever events may have been written (a notification, a poll); returns the unsubscribe. */
  onWake(listener: () => void): () => void {
    this.start();
    this.wakeListeners.add(listener);
    return () => this.wakeListeners.delete(listener);
  }

  /** Whether `reason` (webhooks to deliver, say) needs notifications; without any need, and no stream, nobody listens. */
  listenFor(reason: string, needed: boolean): void {
    if (needed) this.wanted.add(reason);
    else this.wanted.delete(reason);
    this.reconcile();
  }

  /**
   * The events `viewer` may see, replayed from `after` if given, then live; ends when the hub closes or the token
   * is revoked. `return()` ends it at once, even while a `next()` waits (a bare async generator would queue it
   * behind that wait, and a subscriber who disconnects would hold its stream until the next event).
   */
  stream(viewer: Viewer, options: StreamOptions): AsyncIterableIterator<RelationEventRow> {
    const stream = new Stream(viewer, options.accept);
    const events = this.deliver(stream, options);
    return {
      next: () => events.next(),
      return: (value?: unknown) => {
        stream.end();
        return events.return(value as undefined);
      },
      throw: (error?: unknown) => {
        stream.end();
        return events.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private async *deliver(stream: Stream, { after, accept, signal }: StreamOptions): AsyncGenerator<RelationEventRow> {
    if (this.closed) return;
    const abort = () => stream.end();
    signal?.addEventListener('abort', abort);
    this.pending.push(stream);
    this.start();
    this.schedule();
    try {
      const live = await stream.attached;
      if (live < 0) return;
      // The backlog is bounded by the id the live events start after, so the two never overlap or leave a gap.
      // A Last-Event-ID beyond that id (the hub had not stepped past the client's last events yet) has no backlog,
      // and the live events up to it are ones the client has had.
      const had = Math.max(after ?? live, live);
      for (let cursor = after ?? live; cursor < live && !stream.ended; ) {
        const events = await readEvents(this.db, cursor, BATCH, live);
        if (events.length === 0) break;
        cursor = events.at(-1)!.id;
        const wanted = events.filter(accept);
        const visible = (await visibleEvents(this.db, [stream.viewer], wanted)).get(stream.viewer.id)!;
        for (const event of wanted) if (visible.has(event.id) && !stream.ended) yield event;
      }
      for (;;) {
        const event = await stream.next();
        if (!event) return;
        if (event.id > had) yield event;
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      stream.end();
      this.streams.delete(stream);
    }
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.later);
    for (const stream of [...this.streams, ...this.pending.splice(0)]) stream.end();
    this.streams.clear();
    const stop = await this.listening?.catch(() => undefined);
    await stop?.();
  }

  /** Starts the poll (for good) and listening (while needed). */
  private start(): void {
    if (this.closed) return;
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
    this.reconcile();
  }

  /** Listens while there is a need, and stops UNLISTEN_AFTER_MS after the last one. */
  private reconcile(): void {
    if (this.closed) return;
    if (this.wanted.size > 0 || this.streams.size > 0 || this.pending.length > 0) {
      this.neededAt = Date.now();
      this.listening ??= this.db
        .listen(EVENTS_CHANNEL, () => this.wake())
        .catch((error: unknown) => {
          this.log.warn('Could not listen for relation events; polling only', error);
          return undefined;
        });
    } else if (this.listening && Date.now() - this.neededAt > UNLISTEN_AFTER_MS) {
      const listening = this.listening;
      this.listening = undefined;
      void listening.then((stop) => stop?.()).catch(() => {});
    }
  }

  private wake(): void {
    for (const listener of this.wakeListeners) listener();
    if (this.streams.size > 0 || this.pending.length > 0) this.schedule();
  }

  private tick(): void {
    this.reconcile();
    this.wake();
    if (this.streams.size > 0) void this.endRevoked().catch((error: unknown) => this.log.warn('Checking stream tokens failed', error));
  }

  /** Streams of a revoked token end; revocation deletes the token row. */
  private async endRevoked(): Promise<void> {
    const tokens = [...new Set([...this.streams].map((s) => s.viewer.tokenId))];
    const rows = await this.db.read<{ id: number }>(Prisma.sql`SELECT id FROM api_tokens WHERE id = ANY(${tokens}::int[])`, {
      primary: true,
    });
    const alive = new Set(rows.map((row) => row.id));
    // Only the tokens asked about: a stream attached while the statement ran may carry a token it did not ask for.
    const asked = new Set(tokens);
    for (const stream of this.streams) {
      if (asked.has(stream.viewer.tokenId) && !alive.has(stream.viewer.tokenId)) {
        stream.end();
        this.streams.delete(stream);
      }
    }
  }

  /** Runs steps one at a time, at least STEP_GAP_MS apart; a wake during a step (or before the next may start) runs one more. */
  private schedule(): void {
    if (this.closed) return;
    if (this.running || this.later) {
      this.again = true;
      return;
    }
    const wait = this.notBefore - Date.now();
    if (wait > 0) {
      this.later = setTimeout(() => {
        this.later = undefined;
        this.schedule();
      }, wait);
      this.later.unref();
      return;
    }
    this.running = true;
    this.again = false;
    void (async () => {
      try {
        this.notBefore = Date.now() + STEP_GAP_MS;
        if (!(await this.step())) this.notBefore = Date.now() + BLOCKED_RETRY_MS;
      } catch (error) {
        if (!this.closed) this.log.warn('Reading relation events failed; trying again shortly', error);
      } finally {
        this.running = false;
        if (this.again) this.schedule();
      }
    })();
  }

  /**
   * Attaches waiting streams at this boundary between batches, then hands out every event up to the horizon.
   * False when the horizon could not be had (a long writing transaction): nothing was done, try again later.
   */
  private async step(): Promise<boolean> {
    if (this.streams.size === 0 && this.pending.length === 0) {
      this.seen = null;
      return true;
    }
    const horizon = await eventHorizon(this.db, HORIZON_WAIT_MS);
    if (horizon === null) {
      this.again = true;
      return false;
    }
    if (this.pending.length > 0) {
      this.seen ??= horizon;
      for (const stream of this.pending.splice(0)) {
        if (stream.ended) continue;
        this.streams.add(stream);
        stream.attach(this.seen);
      }
    }
    if (this.streams.size === 0) {
      this.seen = null;
      return true;
    }
    for (;;) {
      const events = await readEvents(this.db, this.seen!, BATCH, horizon);
      if (events.length === 0) {
        // Nothing at or below the horizon is still to come: the ids in between were rolled back.
        this.seen = horizon;
        return true;
      }
      const streams = [...this.streams];
      const wanted = events.filter((event) => streams.some((s) => s.accept(event)));
      const visible = await visibleEvents(
        this.db,
        streams.map((s) => s.viewer),
        wanted,
      );
      for (const stream of streams) {
        const mine = visible.get(stream.viewer.id)!;
        for (const event of wanted) {
          if (!mine.has(event.id) || !stream.accept(event)) continue;
          stream.push(event);
          const lag = (Date.now() - event.at.getTime()) / 1000;
          for (const listener of this.deliveredListeners) listener(lag);
        }
      }
      this.seen = events.length < BATCH ? horizon : events.at(-1)!.id;
      if (events.length < BATCH) return true;
    }
  }
}

const hubs = new WeakMap<Database, EventHub>();

/** The one hub of this process for `db`, made on first use. */
export function eventsOf(db: Database, log: Logger): EventHub {
  let hub = hubs.get(db);
  if (!hub) hubs.set(db, (hub = new EventHub(db, log)));
  return hub;
}
