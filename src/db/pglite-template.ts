// A new embedded database starts from a cached copy of an empty, migrated one. PGlite's initdb takes 3–7 s
// on these machines, loading a copy about 1.5 s, and the copy is migrated already, so the migration engine
// does not load either. The copy is a tarball of the data folder (PGlite's dumpDataDir), written by the first
// start on the machine, under the user's cache folder, keyed by everything that shapes it: the migrations and
// the PGlite and migration engine versions. It holds no data and nothing particular to one database.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { packageRoot, readMigrations } from './migrations.js';

const version = (pkg: string) => (JSON.parse(readFileSync(join(packageRoot(), 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/** Changes whenever a migration or the PGlite or engine version does, so a stale copy is never loaded. */
export function migrationsHash(): string {
  const h = createHash('sha256');
  for (const d of readMigrations().migrationDirectories) {
    h.update(d.path).update(d.migrationFile.content.tag === 'ok' ? d.migrationFile.content.value : '');
  }
  h.update(version('@electric-sql/pglite')).update(version('@prisma/schema-engine-wasm'));
  return h.digest('hex').slice(0, 12);
}

/** `$XDG_CACHE_HOME/relation-gateway`, else `~/.cache/relation-gateway` (where scripts/pgbouncer-build.sh caches too). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'relation-gateway');
}

const PREFIX = 'pglite-template-';
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/**
 * The cached copy for the current migrations (its file, and its content for PGlite's loadDataDir), or undefined. Its name carries its content's
 * hash: a copy that does not match (cut short, damaged) is removed rather than loaded, since PGlite fails on a
 * bad tarball with an error it throws outside any promise.
 */
export function cachedTemplate(dir = cacheDir()): { file: string; content: Blob } | undefined {
  const prefix = `${PREFIX}${migrationsHash()}-`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.tar'));
  } catch {
    return undefined;
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      const bytes = readFileSync(file);
      if (name === `${prefix}${sha(bytes)}.tar`) return { file, content: new Blob([bytes]) };
      rmSync(file, { force: true });
    } catch {
      // Unreadable: the next one, or a new start from initdb.
    }
  }
  return undefined;
}

/**
 * Keeps a copy of `db` (empty and just migrated) for the next new database, written under a temporary name and
 * renamed, so a reader sees a whole file or none; copies for other migrations are removed. Best effort: a cache
 * folder that cannot be written only means the next new database runs initdb again.
 */
export async function saveTemplate(db: PGlite, dir = cacheDir()): Promise<string | undefined> {
  try {
    const bytes = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${PREFIX}${migrationsHash()}-${sha(bytes)}.tar`);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(PREFIX) && join(dir, name) !== file && !name.includes('.tar.')) rmSync(join(dir, name), { force: true });
    }
    return file;
  } catch {
    return undefined;
  }
}
