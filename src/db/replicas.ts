// Read replicas (DATABASE_READ_URL): which server a read-only statement goes to. A replica is used for a
// caller only once it has replayed that caller's last acknowledged write (its WAL position, kept on the
// caller's API token row on the primary), so nobody reads older data than their own write, on any instance.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/** How often each replica's replay position and lag are read. */
const POLL_MS = 100;
/** A replica whose last good poll is older than this is skipped: a hung or dead server is noticed within 1 s. */
const STALE_MS = 600;
/** A poll that does not answer within this is a failed one. */
const POLL_TIMEOUT_MS = 400;

/** What one request knows about its caller, for routing its reads. */
interface Caller {
  tokenId?: number;
  /** The WAL position (bytes) a replica must have replayed to serve this caller. */
  lsn: bigint;
  /** Set by any statement other than a SELECT in this request: its later reads must see it, so they stay on the primary. */
  wrote: boolean;
}

const callers = new AsyncLocalStorage<Caller>();

/** Notes that the current request wrote (called for every statement but SELECTs at the driver). */
export function noteWrite(): void {
  const caller = callers.getStore();
  if (caller) caller.wrote = true;
}

export interface ReplicaState {
  /** host:port/database, without credentials. */
  place: string;
  healthy: boolean;
  lagMs: number;
}

class Replica {
  lsn = -1n;
  lagMs = Number.POSITIVE_INFINITY;
  okAt = 0;
  private client?: pg.Client;
  private polling = false;
  constructor(
    readonly place: string,
    private readonly url: string,
    readonly pool: pg.Pool,
  ) {}

  usable(now: number, maxLagMs: number): boolean {
    return now - this.okAt < STALE_MS && this.lagMs <= maxLagMs;
  }

  /** Marks the replica unusable until its next good poll (a read on it failed). */
  down(): void {
    this.okAt = 0;
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const client = this.client ?? new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1_000, keepAlive: true });
    try {
      if (!this.client) {
        client.on('error', () => {});
        await client.connect();
        this.client = client;
      }
      const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('replica poll timed out')), POLL_TIMEOUT_MS).unref());
      // Lag: none while everything received has been replayed (an idle primary sends nothing, and the last
      // replayed transaction's age would grow without any lag); otherwise the age of the last replayed one.
      // A server not in recovery (the primary itself given as a replica) is as current as it gets.
      const { rows } = await Promise.race([
        client.query<{ lsn: string; lag: number }>(
          `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn)::bigint::text AS lsn,
             CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                  ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 0) END::float8 AS lag`,
        ),
        timer,
      ]);
      this.lsn = BigInt(rows[0].lsn ?? -1);
      this.lagMs = rows[0].lag;
      this.okAt = Date.now();
    } catch {
      this.okAt = 0;
      this.client = undefined;
      client.end().catch(() => {});
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => {});
    await this.pool.end();
  }
}

export interface Routing {
  /** The pool to send a read-only statement to: a replica that may serve the current caller, or the primary (undefined). */
  pick(): pg.Pool | undefined;
  /** A read on `pool` failed: skip that replica until it answers its poll again. */
  failed(pool: pg.Pool): void;
  /** Runs one request with its caller's routing state; afterwards, if it wrote, `record` stores the primary's WAL position for the caller. */
  request<T>(run: () => Promise<T>, record: (tokenId: number) => Promise<void>): Promise<T>;
  /** The token lookup found the caller: its token and the WAL position of its last write. */
  caller(tokenId: number, lsn: string | null): void;
  state(): ReplicaState[];
  /** Reads sent to a replica and to the primary by `pick`, since the start. */
  reads: { replica: number; primary: number };
  close(): Promise<void>;
}

export function placeOf(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname || 'localhost'}:${port || 5432}${pathname}`;
}

export function replicaRouting(urls: string[], maxLagMs: number, makePool: (url: string) => pg.Pool): Routing {
  const replicas = urls.map((url) => new Replica(placeOf(url), url, makePool(url)));
  const timer = setInterval(() => {
    for (const replica of replicas) void replica.poll();
  }, POLL_MS);
  timer.unref();
  for (const replica of replicas) void replica.poll();
  let next = 0;
  const reads = { replica: 0, primary: 0 };
  return {
    reads,
    pick() {
      const caller = callers.getStore();
      if (!caller?.wrote) {
        const now = Date.now();
        const need = caller?.lsn ?? 0n;
        for (let i = 0; i < replicas.length; i++) {
          const replica = replicas[(next + i) % replicas.length];
          if (replica.lsn >= need && replica.usable(now, maxLagMs)) {
            next = (next + i + 1) % replicas.length;
            reads.replica++;
            return replica.pool;
          }
        }
      }
      reads.primary++;
      return undefined;
    },
    failed(pool) {
      replicas.find((r) => r.pool === pool)?.down();
    },
    async request(run, record) {
      const caller: Caller = { lsn: 0n, wrote: false };
      const result = await callers.run(caller, run);
      if (caller.wrote && caller.tokenId !== undefined) await record(caller.tokenId);
      return result;
    },
    caller(tokenId, lsn) {
      const caller = callers.getStore();
      if (!caller) return;
      caller.tokenId = tokenId;
      caller.lsn = lsn ? BigInt(lsn) : 0n;
    },
    state: () => replicas.map((r) => ({ place: r.place, healthy: r.usable(Date.now(), maxLagMs), lagMs: r.lagMs })),
    async close() {
      clearInterval(timer);
      await Promise.all(replicas.map((r) => r.close()));
    },
  };
}
