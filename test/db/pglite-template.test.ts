// A new embedded database starts from the cached empty, migrated copy (src/db/pglite-template.ts): the first
// new database on a machine writes it, the next loads it, and a damaged copy is dropped for a fresh initdb.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrationsHash } from '../../src/db/pglite-template.js';

const root = mkdtempSync(join(tmpdir(), 'rg-template-'));
const cache = join(root, 'cache', 'relation-gateway');
const saved = process.env.XDG_CACHE_HOME;

beforeAll(() => {
  // This file's own cache folder, so it neither reads nor replaces the one of the machine's user.
  process.env.XDG_CACHE_HOME = join(root, 'cache');
});
afterAll(() => {
  if (saved === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = saved;
  rmSync(root, { recursive: true, force: true });
});

const templates = () => readdirSync(cache).filter((name) => name.endsWith('.tar'));

/** Opens (and migrates) a new embedded database in `name`; what it holds: its migration rows' ids, its users. */
async function create(name: string): Promise<{ migrationIds: string[]; users: number }> {
  const db = await openDatabase({ dataDir: join(root, name) });
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM _prisma_migrations ORDER BY migration_name');
    return { migrationIds: rows.map((r) => r.id), users: await db.prisma.user.count() };
  } finally {
    await db.close();
  }
}

describe('the cached empty database', () => {
  let first: { migrationIds: string[]; users: number };

  it('is written by the first new database, named by the migrations and its own content hash', async () => {
    first = await create('first');
    expect(first.migrationIds.length).toBeGreaterThan(0);
    const names = templates();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^pglite-template-${migrationsHash()}-[0-9a-f]{16}\\.tar$`));
  });

  it('is what the next new database starts from: the same migration rows, no data', async () => {
    const second = await create('second');
    expect(second.migrationIds).toEqual(first.migrationIds);
    expect(second.users).toBe(0);
    expect(templates()).toHaveLength(1);
  });

  it('is not rewritten by opening an existing database', async () => {
    const [name] = templates();
    const before = readFileSync(join(cache, name));
    await create('first');
    expect(templates()).toEqual([name]);
    expect(readFileSync(join(cache, name)).equals(before)).toBe(true);
  });

  it('is removed when damaged, and the new database is made by initdb and cached again', async () => {
    const [name] = templates();
    const bytes = readFileSync(join(cache, name));
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(join(cache, name), bytes);
    const third = await create('third');
    // Migrated afresh: its migration rows are its own, not the copy's.
    expect(third.migrationIds).toHaveLength(first.migrationIds.length);
    expect(third.migrationIds).not.toEqual(first.migrationIds);
    const names = templates();
    expect(names).toHaveLength(1);
    expect(names[0]).not.toBe(name);
  });
});
