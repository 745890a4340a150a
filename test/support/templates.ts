// Migrated templates, built once per run (or reused across runs): copying beats migrating per test file.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations } from '../../src/db/migrations.js';
import { cacheDir, cachedTemplate, migrationsHash, saveTemplate } from '../../src/db/pglite-template.js';

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The product's cached empty, migrated database (src/db/pglite-template.ts): the one a first start on this
 * machine left, or one made here from an in-memory PGlite and cached the same way.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const cached = cachedTemplate();
  if (cached) return cached.file;
  const db = await PGlite.create();
  try {
    await applyMigrations(new PrismaPGlite(db));
    const file = await saveTemplate(db);
    if (!file) throw new Error(`the PGlite template could not be written to ${cacheDir()}`);
    return file;
  } finally {
    await db.close();
  }
}

export function readTemplate(file: string): Blob {
  return new Blob([readFileSync(file)]);
}

/** A migrated PostgreSQL template database; built under a temporary name and renamed, so it is complete or absent. */
export async function ensurePgTemplate(base: string): Promise<string> {
  const name = `relation_gateway_template_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(727073690002)'); // concurrent test runs build it once
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      const building = `${name}_building_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      try {
        await applyMigrations(new PrismaPg({ connectionString: databaseUrl(base, building) }));
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
        await admin.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      } catch (e) {
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        throw e;
      }
    }
  } finally {
    await admin.end(); // releases the advisory lock
  }
  return name;
}

/** Drops this run's leftover test databases (a test file that crashed before close()). */
export async function dropTestDatabases(base: string, prefix: string): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
