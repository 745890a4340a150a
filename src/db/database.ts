// Opens the database: embedded PGlite in a data folder (default) or PostgreSQL from a URL.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { acquireDataDirLock } from './lock.js';
import { listenPostgres } from './listen.js';
import { applyMigrations } from './migrations.js';
import { readArrays, readStatement } from './read.js';

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
  read<T = Record<string, unknown>>(statement: Prisma.Sql): Promise<T[]>;
  /** As `read`, rows as arrays in the order of `columns`: cheaper for wide rows (no object with dozens of keys per row). */
  readRows(statement: Prisma.Sql): Promise<{ columns: string[]; rows: unknown[][] }>;
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

function countTransaction(tx: Transaction, statements: Statements): Transaction {
  // With a phantom COMMIT/ROLLBACK (PGlite) the driver runs it itself; otherwise Prisma sends it through executeRaw.
  const end = (text: string, fn: () => Promise<void>) => () => (tx.options.usePhantomQuery ? counted(statements, text, fn) : fn());
  return intercept(tx, {
    queryRaw: (q: Parameters<Transaction['queryRaw']>[0]) => counted(statements, q.sql, () => tx.queryRaw(q)),
    executeRaw: (q: Parameters<Transaction['executeRaw']>[0]) => counted(statements, q.sql, () => tx.executeRaw(q)),
    commit: end('COMMIT', () => tx.commit()),
    rollback: end('ROLLBACK', () => tx.rollback()),
  });
}

function countAdapter(adapter: SqlDriverAdapter, statements: Statements): SqlDriverAdapter {
  return intercept(adapter, {
    queryRaw: (q: Parameters<SqlDriverAdapter['queryRaw']>[0]) => counted(statements, q.sql, () => adapter.queryRaw(q)),
    executeRaw: (q: Parameters<SqlDriverAdapter['executeRaw']>[0]) => counted(statements, q.sql, () => adapter.executeRaw(q)),
    executeScript: (s: string) => counted(statements, s, () => adapter.executeScript(s)),
    startTransaction: async (level?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => {
      // The driver sends BEGIN (and SET TRANSACTION ISOLATION LEVEL) itself, within this one call.
      const start = () => adapter.startTransaction(level);
      const tx = await counted(statements, 'BEGIN', level ? () => counted(statements, `SET TRANSACTION ISOLATION LEVEL ${level}`, start) : start);
      return countTransaction(tx, statements);
    },
  });
}

/** Counts every statement at the driver, inside transactions too. */
export function countingFactory(factory: SqlDriverAdapterFactory, statements: Statements): SqlDriverAdapterFactory {
  return intercept(factory, {
    connect: async () => countAdapter(await factory.connect(), statements),
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

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const statements: Statements = { count: 0 };
  const migrate = opts.migrate ?? true;

  if (opts.databaseUrl) {
    // Baseline-compiled WebAssembly only (Prisma's query compiler, the migration engine): saves ~75 MB of
    // RSS with no measured loss (docs/performance.md). Not on PGlite, where PostgreSQL itself is the wasm.
    setFlagsFromString('--liftoff-only');
    if (migrate) await applyMigrations(new PrismaPg({ connectionString: opts.databaseUrl }));
    const max = Number(process.env.PG_POOL_MAX) || 10;
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max,
      Client: BoundedConnectClient,
      connectionTimeoutMillis: QUEUE_MS,
      keepAlive: true,
      // Awaited by the pool before it hands a new connection out.
      onConnect: async (client) => void (await client.query(GENERIC_PLANS)),
    });
    pool.on('error', () => {}); // an idle client's error (server restart) must not crash the process; the next query reports it
    const prisma = new PrismaClient({ adapter: countingFactory(new PrismaPg(pool), statements), transactionOptions: TRANSACTIONS });
    const hooks = closing();
    const listenUrl = opts.listenUrl ?? opts.databaseUrl;
    return {
      kind: 'postgres',
      prisma,
      statements,
      read: (statement) => counted(statements, statement.sql, () => readStatement(pool, statement)),
      readRows: (statement) => counted(statements, statement.sql, () => readArrays(pool, statement)),
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      listen: async (channel, onNotify) => hooks.track(listenPostgres(listenUrl, channel, onNotify)),
      onClose: hooks.onClose,
      ping: async () => void (await pool.query('SELECT 1')),
      close: async () => {
        await hooks.run();
        await prisma.$disconnect();
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
  try {
    if (!db) {
      const dataDir = opts.dataDir ?? 'data';
      lock = opts.lock ?? (await acquireDataDirLock(dataDir));
      const pgDir = join(dataDir, 'pg');
      mkdirSync(pgDir, { recursive: true });
      db = await PGlite.create(pgDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
    }
    if (migrate) await applyMigrations(new PrismaPGlite(db));
    await db.exec(GENERIC_PLANS);
  } catch (e) {
    await db?.close().catch(() => {});
    lock?.release();
    throw e;
  }
  const pglite = db;
  const prisma = new PrismaClient({ adapter: countingFactory(new PrismaPGlite(pglite), statements), transactionOptions: TRANSACTIONS });
  const reader = pgliteReader(pglite);
  const hooks = closing();
  return {
    kind: 'pglite',
    prisma,
    statements,
    read: (statement) => counted(statements, statement.sql, () => reader.read(statement)),
    readRows: (statement) => counted(statements, statement.sql, () => reader.readRows(statement)),
    pool: () => ({ total: 1 }),
    listen: async (channel, onNotify) => {
      const unlisten = await pglite.listen(channel, () => onNotify());
      return hooks.track(() => (pglite.closed ? Promise.resolve() : unlisten()));
    },
    onClose: hooks.onClose,
    ping: async () => void (await pglite.query('SELECT 1')),
    close: async () => {
      await hooks.run();
      try {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
