// Opens the database: embedded PGlite in a data folder (default) or PostgreSQL from a URL.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { announcer, EVENTS_CHANNEL } from './announce.js';
import { acquireDataDirLock } from './lock.js';
import { listenPostgres, notifyPostgres } from './listen.js';
import { applyMigrations } from './migrations.js';
import { cachedTemplate, saveTemplate } from './pglite-template.js';
import { type PreparedStatements, readArrays, runStatement } from './read.js';
import { noteWrite, placeOf, replicaRouting, type ReplicaState, type Routing } from './replicas.js';

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /** Statements sent to the driver (BEGIN/COMMIT included, the same on both kinds); ping() is not counted. */
  statements: Statements;
  /**
   * The hot read path: one statement straight to the driver, rows as plain objects typed by the
   * driver (int → number, timestamptz → Date), prepared once per connection on PostgreSQL. Only for
   * statements whose text takes a bounded number of shapes (values as parameters, no IN lists).
   */
  read<T = Record<string, unknown>>(statement: Prisma.Sql, options?: ReadOptions): Promise<T[]>;
  /** As `read`, rows as arrays in the order of `columns`: cheaper for wide rows (no object with dozens of keys per row). */
  readRows(statement: Prisma.Sql, options?: ReadOptions): Promise<{ columns: readonly string[]; rows: unknown[][] }>;
  /**
   * The hot write path: one statement that writes, on its own (it commits as it ends), straight to the driver
   * on the primary, prepared once per connection like `read`, without the ORM's per-call work (its query
   * interpreter, its conversion of every value). Rows as `read`'s, and the count of rows it affected. Announced
   * to the event log's listeners once committed, as the ORM's writes are. Only for a bounded number of texts.
   */
  write<T = Record<string, unknown>>(statement: Prisma.Sql): Promise<{ rows: T[]; count: number }>;
  /** With DATABASE_READ_URL: runs one request with its caller's routing state, and records the WAL position of its writes. */
  request?<T>(run: () => Promise<T>): Promise<T>;
  /** With DATABASE_READ_URL: the token lookup tells who the caller is and the WAL position its reads must see. */
  caller?(tokenId: number, writeLsn: string | null): void;
  /** With DATABASE_READ_URL: each replica's health, and where `read`s went. */
  replicas?(): { replicas: ReplicaState[]; reads: { replica: number; primary: number } };
  /** Connections by state, for /metrics: the pool's on PostgreSQL; the embedded database has one. */
  pool(): Record<string, number>;
  /**
   * Calls `onNotify` on every notification on `channel` (and whenever the listening connection had to be
   * reopened, since notifications sent meanwhile are lost). On PostgreSQL a connection of its own
   * (`listenUrl`, default the database URL); PGlite has LISTEN in-process. Stopped by close() at the latest.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** Runs `hook` first when the database closes (the event hub ends its streams and timers). */
  onClose(hook: () => Promise<void> | void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Prepared statements keep one generic plan. Left to choose, PostgreSQL re-planned the relation page on every
 * execution for a user with many relations among a million (its custom plan looked cheaper): 2.2 ms per
 * execution instead of 0.9 ms. Unnamed statements (Prisma's) are planned once per execution either way.
 */
const GENERIC_PLANS = 'SET plan_cache_mode = force_generic_plan';

/**
 * PGlite runs PostgreSQL's stock shared_buffers of 128 MB inside the process's own memory, all of it
 * resident from the start. The embedded database is small and its files sit in the OS page cache
 * anyway: 16 MB keeps the idle process near 250 MB. 8 MB saved another 15 MB but cost 15–20 % more
 * CPU per request on the bench's 100,000 relations (docs/performance.md, "Memory").
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

export interface ReadOptions {
  /**
   * Never a replica: reads that must see every committed write at once (the token lookup, so revocation is
   * effective on the next request; the event hub, which reads the rows a NOTIFY just announced).
   */
  primary?: boolean;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; without it, PGlite at `${dataDir}/pg`. */
  databaseUrl?: string;
  /** Defaults to ./data. */
  dataDir?: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** An already-open PGlite (tests); no folder lock; closed by close(). */
  pglite?: PGlite;
  /** The data-folder lock, already taken by the caller; released by close() (or when the open fails). */
  lock?: { release(): void };
  /** DATABASE_LISTEN_URL: where LISTEN connects on PostgreSQL (a direct connection when the pool URL is pgbouncer's). */
  listenUrl?: string;
  /** PG_PREPARED_STATEMENTS (default true): see PreparedStatements in src/db/read.ts. */
  preparedStatements?: PreparedStatements;
  /** EVENT_NOTIFY (default true): NOTIFY the event log's listeners after each write commits (src/db/announce.ts). */
  notifyWrites?: boolean;
  /** DATABASE_READ_URL: streaming replicas for read-only statements. */
  readUrls?: string[];
  /** REPLICA_MAX_LAG_MS: a replica further behind is skipped (default 5000). */
  maxLagMs?: number;
  /** Where a one-time notice goes (the switch to unnamed statements). */
  warn?: (message: string) => void;
}

/** Hooks run before close, then the listeners stopped: what listen() and onClose() share on both kinds. */
function closing() {
  const hooks: (() => Promise<void> | void)[] = [];
  const stops = new Set<() => Promise<void>>();
  return {
    onClose: (hook: () => Promise<void> | void) => void hooks.push(hook),
    track(stop: () => Promise<void>): () => Promise<void> {
      const once = async () => {
        if (stops.delete(once)) await stop();
      };
      stops.add(once);
      return once;
    },
    async run(): Promise<void> {
      for (const hook of hooks.splice(0)) await Promise.resolve(hook()).catch(() => {});
      await Promise.all([...stops].map((stop) => stop().catch(() => {})));
    },
  };
}

/** Prisma's statements that cannot write; any other (BEGIN included) makes the request a writing one (src/db/replicas.ts). */
const READ_ONLY = /^\s*SELECT\b/i;

export interface Statements {
  count: number;
  /** Set when tracing is on: runs each statement (its text, never its values) inside a span. */
  around?: <T>(text: string, run: () => Promise<T>) => Promise<T>;
}

function counted<T>(statements: Statements, text: string, run: () => Promise<T>): Promise<T> {
  statements.count++;
  return statements.around ? statements.around(text, run) : run();
}

/** Wraps methods of `target` by name, binding the rest (the adapters use private state). */
function intercept<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(t, prop, receiver);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

/** As `counted`, for statements that may write. */
function countedMayWrite<T>(statements: Statements, text: string, run: () => Promise<T>): Promise<T> {
  if (!READ_ONLY.test(text)) noteWrite();
  return counted(statements, text, run);
}

/** Runs a statement outside a transaction; once it is done (committed), calls `wrote` if it may have written. */
async function committing<T>(text: string, run: () => Promise<T>, wrote: () => void): Promise<T> {
  const result = await run();
  if (!READ_ONLY.test(text)) wrote();
  return result;
}

function countTransaction(tx: Transaction, statements: Statements, wrote: () => void): Transaction {
  // With a phantom COMMIT/ROLLBACK (PGlite) the driver runs it itself; otherwise Prisma sends it through executeRaw.
  const end = (text: string, fn: () => Promise<void>) => () => (tx.options.usePhantomQuery ? counted(statements, text, fn) : fn());
  let writes = false;
  const note = (text: string) => void (writes ||= !READ_ONLY.test(text));
  return intercept(tx, {
    queryRaw: (q: Parameters<Transaction['queryRaw']>[0]) => (note(q.sql), countedMayWrite(statements, q.sql, () => tx.queryRaw(q))),
    executeRaw: (q: Parameters<Transaction['executeRaw']>[0]) => (note(q.sql), countedMayWrite(statements, q.sql, () => tx.executeRaw(q))),
    commit: end('COMMIT', async () => {
      await tx.commit();
      if (writes) wrote();
    }),
    rollback: end('ROLLBACK', () => tx.rollback()),
  });
}

function countAdapter(adapter: SqlDriverAdapter, statements: Statements, wrote: () => void): SqlDriverAdapter {
  return intercept(adapter, {
    queryRaw: (q: Parameters<SqlDriverAdapter['queryRaw']>[0]) => countedMayWrite(statements, q.sql, () => committing(q.sql, () => adapter.queryRaw(q), wrote)),
    executeRaw: (q: Parameters<SqlDriverAdapter['executeRaw']>[0]) => countedMayWrite(statements, q.sql, () => committing(q.sql, () => adapter.executeRaw(q), wrote)),
    executeScript: (s: string) => countedMayWrite(statements, s, () => committing(s, () => adapter.executeScript(s), wrote)),
    startTransaction: async (level?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => {
      // The driver sends BEGIN (and SET TRANSACTION ISOLATION LEVEL) itself, within this one call.
      const start = () => adapter.startTransaction(level);
      const tx = await countedMayWrite(statements, 'BEGIN', level ? () => counted(statements, `SET TRANSACTION ISOLATION LEVEL ${level}`, start) : start);
      return countTransaction(tx, statements, wrote);
    },
  });
}

/**
 * Counts every statement at the driver, inside transactions too; `wrote` is called after each write commits
 * (a statement other than a SELECT outside a transaction, or the COMMIT of a transaction that sent one).
 */
export function countingFactory(factory: SqlDriverAdapterFactory, statements: Statements, wrote: () => void = () => {}): SqlDriverAdapterFactory {
  return intercept(factory, {
    connect: async () => countAdapter(await factory.connect(), statements, wrote),
  });
}

// Two different waits. Opening a connection to a database that does not answer fails within CONNECT_MS
// (a 503 within seconds, not a hung request). Waiting for a busy pool's next free connection may take
// longer: a burst of 1500 concurrent writes on a loaded 2-core machine queued statements for more than
// 5 s, and answering 503 to a healthy but busy database is worse than queueing a little longer.
const CONNECT_MS = 5_000;
const QUEUE_MS = 15_000;
// A transaction waits for its connection as long as any other query does, not Prisma's default 2 s.
const TRANSACTIONS = { maxWait: QUEUE_MS };

/** pg's client with its own connect timeout; the pool's connectionTimeoutMillis then bounds only the queue. */
class BoundedConnectClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: CONNECT_MS });
  }
}

/** A replica that does not answer is skipped rather than waited for: the primary can serve the read. */
class QuickConnectClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: 1_000 });
  }
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const statements: Statements = { count: 0 };
  const migrate = opts.migrate ?? true;

  if (opts.databaseUrl) {
    // Baseline-compiled WebAssembly only (Prisma's query compiler, the migration engine): saves ~75 MB of
    // RSS with no measured loss (docs/performance.md). Not on PGlite, where PostgreSQL itself is the wasm.
    setFlagsFromString('--liftoff-only');
    // Migrations hold a session advisory lock on one connection: through pgbouncer's transaction mode that
    // connection is not ours between statements, so they take the direct one LISTEN uses when there is one.
    if (migrate) await applyMigrations(new PrismaPg({ connectionString: opts.listenUrl ?? opts.databaseUrl }));
    const max = Number(process.env.PG_POOL_MAX) || 10;
    const prepared = { named: opts.preparedStatements !== false };
    const sessionSettings = opts.preparedStatements !== 'pooled';
    const poolFor = (url: string, Client: typeof pg.Client) => {
      const created = new pg.Pool({
        connectionString: url,
        max,
        Client,
        connectionTimeoutMillis: QUEUE_MS,
        keepAlive: true,
        // Awaited by the pool before it hands a new connection out. Behind a pooler in transaction mode (unnamed
        // or 'pooled' statements) the server connection may be another client's next: no session-level settings.
        onConnect: async (client) => void (prepared.named && sessionSettings && (await client.query(GENERIC_PLANS))),
      });
      created.on('error', () => {}); // an idle client's error (server restart) must not crash the process; the next query reports it
      return created;
    };
    const pool = poolFor(opts.databaseUrl, BoundedConnectClient);
    const routing: Routing | undefined = opts.readUrls?.length
      ? replicaRouting(opts.readUrls, opts.maxLagMs ?? 5_000, (url) => poolFor(url, QuickConnectClient))
      : undefined;

    /**
     * Sends a `read` as a named statement while that works. A pooler in transaction mode moves the client
     * between server connections, where the statement was never prepared (26000) or was prepared by another
     * client (42P05): then this process switches to unnamed statements for good and sends it again, so a
     * deployment that forgot PG_PREPARED_STATEMENTS=false heals instead of failing requests.
     */
    const send = async <T>(target: pg.Pool, run: (pool: pg.Pool, named: boolean) => Promise<T>): Promise<T> => {
      const named = prepared.named;
      try {
        return await run(target, named);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (named && (code === '26000' || code === '42P05')) {
          if (prepared.named) {
            prepared.named = false;
            opts.warn?.(
              `Named prepared statements fail on ${placeOf(opts.databaseUrl!)} (${(error as Error).message}): a connection pooler in transaction mode? ` +
                'Sending unnamed statements from now on; set PG_PREPARED_STATEMENTS=false to start that way.',
            );
          }
          return send(target, run);
        }
        throw error;
      }
    };
    /** A read-only statement: on a replica that may serve the caller, else (or if that replica fails) on the primary. */
    const route = <T>(options: ReadOptions | undefined, run: (pool: pg.Pool, named: boolean) => Promise<T>): Promise<T> => {
      const replica = routing && !options?.primary ? routing.pick() : undefined;
      if (!replica) return send(pool, run);
      return send(replica, run).catch(() => {
        // A replica that went down, or cancelled the read for a conflict with recovery: the primary answers instead.
        routing!.failed(replica);
        return send(pool, run);
      });
    };
    // The WAL insert position is at or past the end of every record this request's commits wrote.
    const recordWrite = (tokenId: number) =>
      counted(statements, 'UPDATE api_tokens SET write_lsn', async () => {
        await pool.query(`UPDATE api_tokens SET write_lsn = (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint WHERE id = $1`, [tokenId]);
      });
    // Not counted: it belongs to no request (src/db/announce.ts).
    const notifier = notifyPostgres(opts.databaseUrl);
    const announce = announcer(opts.notifyWrites ?? true, () => notifier.notify(EVENTS_CHANNEL));
    const prisma = new PrismaClient({ adapter: countingFactory(new PrismaPg(pool), statements, announce.wrote), transactionOptions: TRANSACTIONS });
    const hooks = closing();
    const listenUrl = opts.listenUrl ?? opts.databaseUrl;
    return {
      kind: 'postgres',
      prisma,
      statements,
      read: async <T>(statement: Prisma.Sql, options?: ReadOptions) =>
        (await counted(statements, statement.sql, () => route(options, (p, named) => runStatement<T>(p, statement, named)))).rows,
      readRows: (statement, options) => counted(statements, statement.sql, () => route(options, (p, named) => readArrays(p, statement, named))),
      write: (statement) =>
        countedMayWrite(statements, statement.sql, () => committing(statement.sql, () => send(pool, (p, named) => runStatement(p, statement, named)), announce.wrote)),
      ...(routing && {
        request: (run) => routing.request(run, recordWrite),
        caller: (tokenId, writeLsn) => routing.caller(tokenId, writeLsn),
        replicas: () => ({ replicas: routing.state(), reads: { ...routing.reads } }),
      }),
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      listen: async (channel, onNotify) => hooks.track(listenPostgres(listenUrl, channel, onNotify)),
      onClose: hooks.onClose,
      ping: async () => void (await pool.query('SELECT 1')),
      close: async () => {
        await hooks.run();
        await announce.flush();
        await notifier.close();
        await prisma.$disconnect();
        await routing?.close();
        await pool.end();
      },
    };
  }

  // Loaded only here, so a server on PostgreSQL does not carry PGlite.
  const [{ PGlite }, { PrismaPGlite }, { pgliteReader }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
    import('./pglite-read.js'),
  ]);
  let lock: { release(): void } | undefined;
  let db = opts.pglite;
  let keepTemplate = false;
  try {
    if (!db) {
      const dataDir = opts.dataDir ?? 'data';
      lock = opts.lock ?? (await acquireDataDirLock(dataDir));
      const pgDir = join(dataDir, 'pg');
      mkdirSync(pgDir, { recursive: true });
      const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
      // A new database starts from the cached empty, migrated copy when there is one (pglite-template.ts).
      const fresh = migrate && !existsSync(join(pgDir, 'PG_VERSION'));
      const template = fresh ? cachedTemplate() : undefined;
      db = await PGlite.create(pgDir, template ? { startParams, loadDataDir: template.content } : { startParams });
      if (fresh && !template) keepTemplate = true;
    }
    if (migrate) await applyMigrations(new PrismaPGlite(db));
    if (keepTemplate) await saveTemplate(db);
    await db.exec(GENERIC_PLANS);
  } catch (e) {
    await db?.close().catch(() => {});
    lock?.release();
    throw e;
  }
  const pglite = db;
  const announce = announcer(opts.notifyWrites ?? true, () => pglite.query(`SELECT pg_notify($1, '')`, [EVENTS_CHANNEL]));
  const prisma = new PrismaClient({ adapter: countingFactory(new PrismaPGlite(pglite), statements, announce.wrote), transactionOptions: TRANSACTIONS });
  const reader = pgliteReader(pglite);
  const hooks = closing();
  return {
    kind: 'pglite',
    prisma,
    statements,
    read: (statement) => counted(statements, statement.sql, () => reader.read(statement)),
    readRows: (statement) => counted(statements, statement.sql, () => reader.readRows(statement)),
    write: (statement) => countedMayWrite(statements, statement.sql, () => committing(statement.sql, () => reader.write(statement), announce.wrote)),
    pool: () => ({ total: 1 }),
    listen: async (channel, onNotify) => {
      const unlisten = await pglite.listen(channel, () => onNotify());
      return hooks.track(() => (pglite.closed ? Promise.resolve() : unlisten()));
    },
    onClose: hooks.onClose,
    ping: async () => void (await pglite.query('SELECT 1')),
    close: async () => {
      await hooks.run();
      await announce.flush();
      try {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
