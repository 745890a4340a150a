// Prisma's migration engine (WebAssembly) driven through a driver adapter: no native engine, no network.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

/** Fixed key of our own advisory lock, so concurrent starts of several instances migrate one at a time. */
export const MIGRATION_LOCK_KEY = 727_073_690_001n;
export const FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface MigrateOptions {
  /** Defaults to <package root>/prisma/migrations. */
  migrationsDir?: string;
  /** Defaults to <package root>/prisma/schema.prisma. */
  schemaPath?: string;
  /** Receives the engine's log lines (JSON strings); silent by default. */
  log?: (line: string) => void;
}

/** The package root: the first folder above this file holding package.json (works from src/ and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const defaultMigrationsDir = (): string => join(packageRoot(), 'prisma', 'migrations');
export const defaultSchemaPath = (): string => join(packageRoot(), 'prisma', 'schema.prisma');

type EngineModule = typeof import('@prisma/schema-engine-wasm');
let engineModule: Promise<EngineModule> | undefined;

/** Loads the engine without --experimental-wasm-modules: instantiate the .wasm ourselves and hand it to the glue. */
export function loadEngine(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Record<string, unknown>;
    const require = createRequire(import.meta.url);
    const glueFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(glueFile), 'schema_engine_bg.wasm'));
    const imports: Record<string, unknown> = { ...glue };
    for (const name of Object.keys(glue)) {
      // The engine arms a timer it never clears; unref it so the process can exit.
      if (name.startsWith('__wbg_setTimeout_')) {
        const original = glue[name] as (...args: unknown[]) => { unref?: () => void };
        imports[name] = (...args: unknown[]) => {
          const timer = original(...args);
          timer?.unref?.();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    (glue.__wbg_set_wasm as (w: unknown) => void)(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue as unknown as EngineModule;
  })();
  return engineModule;
}

/** Reads the migrations folder into the shape the CLI hands to the engine. */
export function readMigrations(migrationsDir = defaultMigrationsDir()): MigrationList {
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(migrationsDir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

type Internals = { client?: { exec?: (s: string) => Promise<unknown>; query?: (s: string) => Promise<unknown> }; onError?: (e: unknown) => never };

/** Adapters run scripts piecewise (pg) or without awaiting (PGlite); run the whole script in one awaited call instead. */
export function wholeScript(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const a = adapter as unknown as Internals;
  const client = a.client;
  const run = client?.exec ? client.exec.bind(client) : client?.query ? client.query.bind(client) : undefined;
  if (!run) return adapter;
  adapter.executeScript = async (script: string) => {
    try {
      await run(script);
    } catch (e) {
      if (a.onError) a.onError.call(adapter, e);
      throw e;
    }
  };
  return adapter;
}

/** Wraps a factory: whole-script executeScript on every adapter, tracks adapters to dispose them at the end. */
function engineFactory(factory: SqlDriverAdapterFactory | SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const track = async (p: Promise<SqlDriverAdapter>) => {
    const adapter = wholeScript(await p);
    opened.push(adapter);
    return adapter;
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () =>
      'connectToShadowDb' in factory ? track(factory.connectToShadowDb()) : Promise.reject(new Error('this adapter factory cannot create a shadow database')),
  };
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((a) => a.dispose()));
  };
  return { wrapped, disposeAll };
}

/** Runs `fn` with a fresh engine bound to `factory`; disposes the engine and every adapter it opened. */
export async function withEngine<T>(
  factory: SqlDriverAdapterFactory | SqlMigrationAwareDriverAdapterFactory,
  opts: MigrateOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngine();
  const schemaPath = opts.schemaPath ?? defaultSchemaPath();
  const datamodels: [string, string][] | undefined = existsSync(schemaPath) ? [[schemaPath, readFileSync(schemaPath, 'utf8')]] : undefined;
  const { wrapped, disposeAll } = engineFactory(factory);
  const log = opts.log ?? (() => {});
  const engine = await SchemaEngine.new({ datamodels }, (line: string) => log(line), bindMigrationAwareSqlAdapterFactory(wrapped));
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await disposeAll();
  }
}

/** pg.Pool config behind an @prisma/adapter-pg factory, or undefined for other adapters (PGlite). */
async function pgConfigOf(factory: SqlDriverAdapterFactory): Promise<pg.PoolConfig | undefined> {
  if (factory.adapterName !== '@prisma/adapter-pg') return undefined;
  const adapter = await factory.connect();
  try {
    const pool = (adapter as unknown as { underlyingDriver?: () => { options?: pg.PoolConfig } }).underlyingDriver?.();
    return pool?.options ? { ...pool.options } : undefined;
  } finally {
    await adapter.dispose();
  }
}

const APPLIED = 'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL';
type AppliedRow = unknown[]; // [migration_name, checksum, finished]

function allApplied(rows: AppliedRow[], list: MigrationList): boolean {
  if (rows.some(([, , finished]) => !finished)) return false;
  const applied = new Map(rows.map(([name, checksum]) => [name, checksum]));
  return list.migrationDirectories.every((dir) => {
    const { content } = dir.migrationFile;
    return content.tag === 'ok' && applied.get(dir.path) === createHash('sha256').update(content.value).digest('hex');
  });
}

/**
 * Whether every migration is recorded as applied with the same checksum, and none failed: then the
 * engine (a WebAssembly module: half a second and tens of MB that stay resident) need not load at all.
 * Anything else, including a missing table, goes to the engine, which applies or reports it.
 */
async function upToDate(factory: SqlDriverAdapterFactory, list: MigrationList): Promise<boolean> {
  const adapter = await factory.connect();
  try {
    return allApplied((await adapter.queryRaw({ sql: APPLIED, args: [], argTypes: [] })).rows, list);
  } catch {
    return false;
  } finally {
    await adapter.dispose();
  }
}

/** The same question through any query function (an open Database's Prisma): are all of prisma/migrations applied? */
export async function migrationsApplied(query: (sql: string) => Promise<AppliedRow[]>, migrationsDir?: string): Promise<boolean> {
  try {
    return allApplied(await query(APPLIED), readMigrations(migrationsDir));
  } catch {
    return false;
  }
}

/** Applies pending migrations from prisma/migrations; returns the names just applied (empty when up to date). */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory | SqlDriverAdapterFactory,
  opts: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsList = readMigrations(opts.migrationsDir);
  if (await upToDate(factory, migrationsList)) return { applied: [] };
  const run = (f: SqlDriverAdapterFactory) =>
    withEngine(f, opts, async (engine) => ({
      applied: (await engine.applyMigrations({ migrationsList, filters: FILTERS })).appliedMigrationNames,
    }));
  const config = await pgConfigOf(factory);
  if (!config) return run(factory);
  // PostgreSQL: our own session lock on a dedicated connection, and a dedicated one-connection pool for the
  // engine that is ended afterwards (an idle pooled connection would keep the engine's advisory lock).
  const { max: _max, ...clientConfig } = config;
  const lock = new pg.Client(clientConfig);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    const pool = new pg.Pool({ ...clientConfig, max: 1 });
    try {
      return await run(new PrismaPg(pool));
    } finally {
      await pool.end();
    }
  } finally {
    await lock.end(); // ending the session releases the advisory lock
  }
}
