import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { describe, expect, it } from 'vitest';
import { FILTERS, applyMigrations, defaultSchemaPath, readMigrations, withEngine } from '../../src/db/migrations.js';
import { databaseUrl } from '../support/templates.js';

const base = process.env.TEST_DATABASE_URL;
const migrationNames = readMigrations().migrationDirectories.map((d) => d.path);

async function withEmptyPgDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `rg_migrate_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    return await fn(databaseUrl(base!, name));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

describe('migrations', () => {
  it('apply from empty, then are a no-op', async () => {
    if (base) {
      await withEmptyPgDatabase(async (url) => {
        expect(await applyMigrations(new PrismaPg({ connectionString: url }))).toEqual({ applied: migrationNames });
        expect(await applyMigrations(new PrismaPg({ connectionString: url }))).toEqual({ applied: [] });
      });
    } else {
      const db = await PGlite.create();
      try {
        expect(await applyMigrations(new PrismaPGlite(db))).toEqual({ applied: migrationNames });
        expect(await applyMigrations(new PrismaPGlite(db))).toEqual({ applied: [] });
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
        expect(rows[0].n).toBe(migrationNames.length);
      } finally {
        await db.close();
      }
    }
  }, 120_000);

  it('leave nothing for the differ: the hand-written CHECKs are invisible to Prisma', async () => {
    const db = await PGlite.create();
    try {
      const stdout = await withEngine(
        new PrismaPGlite(db),
        {},
        async (engine) =>
          (
            await engine.diff({
              from: { tag: 'migrations', ...readMigrations() },
              to: { tag: 'schemaDatamodel', files: [{ path: defaultSchemaPath(), content: readFileSync(defaultSchemaPath(), 'utf8') }] },
              script: true,
              exitCode: null,
              filters: FILTERS,
            })
          ).stdout ?? '',
      );
      expect(stdout.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--'))).toEqual([]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('a failing migration is recorded as failed and leaves nothing half-applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-migrations-'));
    mkdirSync(join(dir, '20000101000000_broken'));
    writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    // Two statements, the second fails; a `;` inside a string must not split the script.
    writeFileSync(join(dir, '20000101000000_broken', 'migration.sql'), "CREATE TABLE t (x text DEFAULT 'a;b');\nSELECT 1/0;\n");
    const check = async (factory: Parameters<typeof applyMigrations>[0], query: (sql: string) => Promise<unknown[]>) => {
      await expect(applyMigrations(factory, { migrationsDir: dir })).rejects.toThrow(/division by zero/);
      expect(await query("SELECT 1 FROM pg_tables WHERE tablename = 't'")).toHaveLength(0);
      expect(await query('SELECT 1 FROM _prisma_migrations WHERE finished_at IS NULL AND logs IS NOT NULL')).toHaveLength(1);
    };
    try {
      if (base) {
        await withEmptyPgDatabase(async (url) => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await check(new PrismaPg({ connectionString: url }), async (sql) => (await client.query(sql)).rows);
          } finally {
            await client.end();
          }
        });
      } else {
        const db = await PGlite.create();
        try {
          await check(new PrismaPGlite(db), async (sql) => (await db.query(sql)).rows);
        } finally {
          await db.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!base)(
    'two processes migrating one PostgreSQL database at once both succeed',
    async () => {
      const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'migrate.ts');
      await withEmptyPgDatabase(async (url) => {
        const run = () =>
          new Promise<string>((resolve, reject) => {
            const p = spawn(process.execPath, ['--import', 'tsx', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            p.stdout.on('data', (d) => (out += d));
            p.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`))));
          });
        const results = (await Promise.all([run(), run()])).map((o) => JSON.parse(o) as { applied: string[] });
        expect(results.map((r) => r.applied.length).sort()).toEqual([0, migrationNames.length]);
      });
    },
    120_000,
  );
});
