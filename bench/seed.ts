// Seeds the benchmark database (PostgreSQL or a PGlite folder) and issues the bench user's API token.
// Usage: tsx bench/seed.ts [--relations 100000] [--pglite <dataDir>] [--force]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';
import { defaultMigrationsDir } from '../src/db/migrations.js';
import { issueToken } from '../src/services/tokens.js';
import { BENCH_EMAIL, BENCH_USER_ID, benchLikes, SEED_VERSION, seedStatements, WRITER_USER_ID } from './data.js';
import { readFixtures, type Fixtures, type Query } from './fixtures.js';
import { PEER_STATEMENTS } from './peers/schema.js';

export const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/relation_gateway_bench';

export interface Seeded {
  relations: number;
  benchLikes: number;
  userId: number;
  email: string;
  token: string;
  seconds: number;
  reused: boolean;
  /** The keys the request shapes name. */
  fixtures: Fixtures;
  /** The user the write shapes write as, with a fresh token. */
  writer: { userId: number; email: string; token: string };
}

type Exec = (sql: string) => Promise<unknown>;

/** Same seed statements, same migrations: the data can be reused. */
function fingerprint(relations: number, peers: boolean): string {
  const migrations = readdirSync(defaultMigrationsDir())
    .filter((n) => /^\d/.test(n))
    .sort()
    .join(',');
  const statements = createHash('sha1')
    .update([...seedStatements(relations), ...(peers ? PEER_STATEMENTS : [])].join(';'))
    .digest('hex');
  return JSON.stringify({ v: SEED_VERSION, relations, peers, migrations, statements });
}

async function isSeeded(query: Query, print: string): Promise<boolean> {
  const { rows } = await query(`SELECT to_regclass('bench.meta') AS t`);
  if (!rows[0].t) return false;
  const meta = await query(`SELECT fingerprint FROM bench.meta`);
  return meta.rows[0]?.fingerprint === print;
}

async function fill(exec: Exec, relations: number, peers: boolean, log: (s: string) => void): Promise<void> {
  const statements = [...seedStatements(relations), ...(peers ? PEER_STATEMENTS : [])];
  for (const sql of statements) {
    const t = performance.now();
    await exec(sql);
    const ms = performance.now() - t;
    if (ms > 500) log(`  ${(ms / 1000).toFixed(1)} s  ${sql.trim().split('\n')[0].slice(0, 70)}`);
  }
}

async function markSeeded(exec: Exec, print: string): Promise<void> {
  await exec(`CREATE SCHEMA IF NOT EXISTS bench`);
  await exec(`DROP TABLE IF EXISTS bench.meta`);
  await exec(`CREATE TABLE bench.meta (fingerprint text NOT NULL)`);
  await exec(`INSERT INTO bench.meta VALUES ('${print.replaceAll("'", "''")}')`);
}

async function newToken(db: Database, userId = BENCH_USER_ID): Promise<string> {
  await db.prisma.apiToken.deleteMany({ where: { userId } });
  return (await issueToken(db.prisma, userId, 'bench')).token;
}

async function writer(db: Database): Promise<Seeded['writer']> {
  const user = await db.prisma.user.findUniqueOrThrow({ where: { id: WRITER_USER_ID } });
  return { userId: user.id, email: user.email, token: await newToken(db, user.id) };
}

export async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** `peers: false` leaves out the peers' schema (the scale runs load only our server). */
export async function seedPostgres(url: string, relations: number, opts: { force?: boolean; peers?: boolean; log?: (s: string) => void } = {}): Promise<Seeded> {
  const peers = opts.peers ?? true;
  const log = opts.log ?? console.log;
  const started = performance.now();
  await createDatabaseIfMissing(url);
  const db = await openDatabase({ databaseUrl: url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const print = fingerprint(relations, peers);
    const reused = !opts.force && (await isSeeded((s) => client.query(s), print));
    if (!reused) {
      log(`seeding ${relations.toLocaleString('en')} relations into ${new URL(url).pathname.slice(1)} ...`);
      await client.query('SET synchronous_commit = off');
      await fill((s) => client.query(s), relations, peers, log);
      await client.query('VACUUM ANALYZE');
      // Once more: the first pass can leave pages not marked all-visible (a snapshot taken meanwhile, e.g. by
      // autovacuum's analyze of the new rows, holds the horizon back), and the list pages walk the index alone
      // only on all-visible pages; a server's table gets there by autovacuum.
      await client.query('VACUUM relations');
      await markSeeded((s) => client.query(s), print);
      // Write the freshly loaded pages out now: otherwise the checkpoint does it while the first targets are measured.
      await client.query('CHECKPOINT').catch(() => log('  (CHECKPOINT refused: not a superuser; the first targets may be slower)'));
    }
    const token = await newToken(db);
    const fixtures = await readFixtures((s) => client.query(s));
    return {
      relations,
      benchLikes: benchLikes(relations),
      userId: BENCH_USER_ID,
      email: BENCH_EMAIL,
      token,
      seconds: (performance.now() - started) / 1000,
      reused,
      fixtures,
      writer: await writer(db),
    };
  } finally {
    await client.end();
    await db.close();
  }
}

/** Seeds a PGlite data folder laid out as the server expects (`<dataDir>/pg`). */
export async function seedPglite(dataDir: string, relations: number, opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<Seeded> {
  const log = opts.log ?? console.log;
  const started = performance.now();
  mkdirSync(join(dataDir, 'pg'), { recursive: true });
  const pglite = await PGlite.create(join(dataDir, 'pg'));
  const db = await openDatabase({ pglite });
  try {
    const print = fingerprint(relations, false);
    const query: Query = async (s) => ({ rows: (await pglite.query<Record<string, unknown>>(s)).rows });
    const reused = !opts.force && (await isSeeded(query, print));
    if (!reused) {
      log(`seeding ${relations.toLocaleString('en')} relations into PGlite at ${dataDir} ...`);
      await fill((s) => pglite.exec(s), relations, false, log);
      await pglite.exec('VACUUM ANALYZE');
      await markSeeded((s) => pglite.exec(s), print);
    }
    const token = await newToken(db);
    const fixtures = await readFixtures(query);
    return {
      relations,
      benchLikes: benchLikes(relations),
      userId: BENCH_USER_ID,
      email: BENCH_EMAIL,
      token,
      seconds: (performance.now() - started) / 1000,
      reused,
      fixtures,
      writer: await writer(db),
    };
  } finally {
    await db.close();
  }
}

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function relationsOption(args: string[], fallback = 100_000): number {
  const raw = option(args, '--relations');
  const n = raw === undefined ? fallback : Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1_000) throw new Error(`--relations must be an integer ≥ 1000, got ${raw}`);
  return n;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const relations = relationsOption(args);
  const dir = option(args, '--pglite');
  const force = args.includes('--force');
  const seeded = dir ? await seedPglite(dir, relations, { force }) : await seedPostgres(process.env.BENCH_DATABASE_URL || DEFAULT_URL, relations, { force });
  console.log(JSON.stringify(seeded, null, 2));
}
