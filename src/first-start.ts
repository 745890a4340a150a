// The embedded database's heavy start-up work (creating it, migrating it, the first-start admin and demo data)
// runs in a short-lived child process. Why: PGlite's initdb, the migration engine and the seeding leave
// 100–500 MB resident in the process that ran them (WebAssembly memory never shrinks, V8 keeps the freed
// pages a while); the child's memory goes back when it exits (docs/performance.md, "Memory").
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { acquireDataDirLock, adoptParentLock } from './db/lock.js';
import { migrationsApplied } from './db/migrations.js';
import type { Logger } from './observability/log.js';
import type { DemoResult } from './seed/demo.js';

/** What the child did, as much of it as the serving process prints. */
export interface FirstStartResult {
  admin?: { user: { email: string }; token: string };
  demo?: DemoResult;
}

/** The child's messages to its parent, in order: migrated, any number of steps, done. */
type Message = { migrated: true } | { step: string } | { done: FirstStartResult };

/**
 * Opens the embedded database for serving. Up to date and with users, it opens in this process as before;
 * otherwise the child does the work first. The data-folder lock is held here throughout (the child works
 * under it), so no other process can take the folder between the child's work and this open.
 */
export async function openEmbedded(config: Config, log: Logger): Promise<{ db: Database; firstStart?: FirstStartResult }> {
  const started = performance.now();
  const ready = () => log.info(`Database ready in ${Math.round(performance.now() - started)} ms`);
  const lock = await acquireDataDirLock(config.dataDir);
  try {
    const fresh = !existsSync(join(config.dataDir, 'pg', 'PG_VERSION'));
    if (!fresh) {
      log.info(`Opening the embedded database in ${config.dataDir}`);
      const db = await openDatabase({ dataDir: config.dataDir, migrate: false, lock: { release: () => {} } });
      if (await needsNothing(db)) {
        ready();
        return { db: { ...db, close: () => db.close().finally(() => lock.release()) } };
      }
      await db.close(); // the lock stays held
    }
    log.info(
      fresh
        ? `Creating the embedded database in ${config.dataDir} and applying migrations (first start: 2–10 s)`
        : `Applying pending migrations and first-start work to the embedded database in ${config.dataDir}`,
    );
    const firstStart = await inChild(config, { migrated: ready, step: (line) => log.info(line) });
    // Every migration is applied now: the migration engine does not load in this process.
    return { db: await openDatabase({ dataDir: config.dataDir, lock, notifyWrites: config.eventNotify }), firstStart };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Every migration applied and someone to log in as: nothing for a child to do. */
async function needsNothing(db: Database): Promise<boolean> {
  const applied = await migrationsApplied(async (sql) => (await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql)).map(Object.values));
  return applied && (await db.prisma.user.count()) > 0;
}

function inChild(config: Config, on: { migrated(): void; step(line: string): void }): Promise<FirstStartResult> {
  // The same CLI the same way (dist/cli.js, or src/cli.ts under tsx in the tests), minus a debugger's port.
  const cli = fileURLToPath(new URL(`./cli${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const node = process.execArgv.filter((arg) => !arg.startsWith('--inspect'));
  const child = spawn(process.execPath, [...node, cli, 'first-start'] /* hidden from the CLI's usage: only serve starts it */, {
    env: { ...process.env, DATA_DIR: config.dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // Its own process group: a Ctrl-C reaches only the parent, which waits for this work and then stops.
    detached: true,
  });
  // Exiting early (a second Ctrl-C) stops the work at once, as it did when it ran in this process.
  const stop = () => child.kill('SIGKILL');
  process.on('exit', stop);
  let stderr = '';
  let result: FirstStartResult | undefined;
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.on('message', (message: Message) => {
    if ('migrated' in message) on.migrated();
    else if ('step' in message) on.step(message.step);
    else result = message.done;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      // 'close', not 'exit': by then everything the child wrote to stderr has been read.
      process.off('exit', stop);
      if (code === 0 && result) return resolve(result);
      // The child's own one-line error ("relation-gateway: ..."), without the prefix the CLI adds again.
      const reason = stderr.trim().replace(/^relation-gateway: /, '') || `exited with ${signal ?? `code ${code}`}`;
      reject(new Error(`Preparing the embedded database failed: ${reason}`));
    });
  });
}

/** The child: migrate, bootstrap, report to the parent over IPC, exit. */
export async function runFirstStartChild(config: Config): Promise<void> {
  const send = (message: Message) => new Promise<void>((resolve, reject) => process.send!(message, undefined, {}, (e) => (e ? reject(e) : resolve())));
  const orphaned = () => process.exit(1); // the parent exited (a second signal): stop too
  process.on('disconnect', orphaned);
  try {
    const db = await openDatabase({ dataDir: config.dataDir, lock: adoptParentLock(config.dataDir), notifyWrites: config.eventNotify });
    try {
      await send({ migrated: true });
      const { admin, demo } = await bootstrap(config, db, (line) => void send({ step: line }));
      await send({ done: { admin: admin && { user: { email: admin.user.email }, token: admin.token }, demo } });
    } finally {
      await db.close();
    }
  } finally {
    // Closing the channel lets the process exit, with its error on stderr for the parent if there is one.
    process.off('disconnect', orphaned);
    process.disconnect();
  }
}
