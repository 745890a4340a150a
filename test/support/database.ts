// A fresh, migrated database per test file: a copy of the run's template (PGlite tarball or PostgreSQL TEMPLATE).
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../src/db/database.js';
import { databaseUrl, ensurePgliteTemplate, ensurePgTemplate, readTemplate } from './templates.js';

let pgliteTemplate: Promise<Blob> | undefined;
let pgTemplate: Promise<string> | undefined;

/** Provided by the globalSetup; built here when a test runs without it. */
function provided(key: 'pgliteTemplate' | 'pgTemplate' | 'testDatabasePrefix'): string | undefined {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

/**
 * TEST_DATABASE_URL is the server the databases are made on (directly: CREATE DATABASE, the template's lock);
 * with TEST_POOLER_URL (postgres://host:port of a pgbouncer in front of it) the apps under test connect through it.
 */
/** A database of its own for one test file (PGlite from a template, or a PostgreSQL database made from one); `options` add to how it is opened. */
export async function freshDatabase(options: Partial<OpenDatabaseOptions> = {}): Promise<Database> {
  const base = process.env.TEST_DATABASE_URL;
  const pooler = process.env.TEST_POOLER_URL;
  if (!base) {
    pgliteTemplate ??= (async () => readTemplate(provided('pgliteTemplate') ?? (await ensurePgliteTemplate())))();
    const pglite = await PGlite.create({ loadDataDir: await pgliteTemplate });
    return openDatabase({ pglite, migrate: false, ...options });
  }
  pgTemplate ??= (async () => provided('pgTemplate') ?? ensurePgTemplate(base))();
  const template = await pgTemplate;
  const name = freshDatabaseName();
  await admin(base, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const db = await openDatabase(
    pooler
      ? // Through a pooler (.ci/run's pgbouncer stage): the app's pool there, what needs a session direct.
        {
          databaseUrl: databaseUrl(pooler, name),
          listenUrl: databaseUrl(base, name),
          preparedStatements: process.env.PG_PREPARED_STATEMENTS === 'pooled' ? 'pooled' : process.env.PG_PREPARED_STATEMENTS !== 'false',
          migrate: false,
          ...options,
        }
      : { databaseUrl: databaseUrl(base, name), migrate: false, ...options },
  );
  const close = db.close;
  db.close = async () => {
    try {
      await close();
    } finally {
      await admin(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  };
  return db;
}

/** A database name no other test uses, under the run's prefix (so the global teardown drops leftovers). */
export function freshDatabaseName(label = ''): string {
  return `${provided('testDatabasePrefix') ?? 'rg_test_'}${label}${randomBytes(5).toString('hex')}`;
}

/** Runs one statement (CREATE/DROP DATABASE) on the server of `base`. */
export async function admin(base: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
