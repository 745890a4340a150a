// First start: an empty database gets a site admin (its token shown once) and, when embedded, the demo data.
import pg from 'pg';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { User } from './generated/prisma/client.js';
import { seedDemo, type DemoResult } from './seed/demo.js';
import { issueToken } from './services/tokens.js';
import { insertUser } from './services/users.js';

/** Our advisory lock key for first-start work (migrations use ...001, the test templates ...002). */
export const BOOTSTRAP_LOCK_KEY = 727_073_690_003n;

export interface BootstrapResult {
  /** Set only when this call created the admin: the one time its token exists in plain text. */
  admin?: { user: User; token: string };
  demo?: DemoResult;
}

/**
 * Runs `fn` while holding a PostgreSQL session advisory lock on its own connection, so that several
 * instances starting at once bootstrap one after the other. PGlite needs none: its folder lock
 * already admits one process.
 */
export async function withStartupLock<T>(config: Config, fn: () => Promise<T>): Promise<T> {
  if (!config.databaseUrl) return fn();
  // A session lock needs a session of its own: through pgbouncer's transaction mode the server connection would
  // go back to the pool still holding it, so the direct DATABASE_LISTEN_URL is used when there is one.
  const client = new pg.Client({ connectionString: config.databaseListenUrl ?? config.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_KEY.toString()]);
    return await fn();
  } finally {
    await client.end(); // ending the session releases the lock
  }
}

/** Creates the site admin when the database has no users at all; call under withStartupLock. */
export async function createFirstAdmin(config: Config, db: Database): Promise<BootstrapResult['admin']> {
  if ((await db.prisma.user.count()) > 0) return undefined;
  const user = await insertUser(db.prisma, { email: config.adminEmail, displayName: 'Site Admin', admin: true });
  const { token } = await issueToken(db.prisma, user.id, 'first start');
  return { user, token };
}

/** `step` hears a line before each piece of first-start work, so a long first start is never silent. */
export async function bootstrap(config: Config, db: Database, step: (line: string) => void = () => {}): Promise<BootstrapResult> {
  return withStartupLock(config, async () => {
    const admin = await createFirstAdmin(config, db);
    if (admin) step(`First start: created the site admin ${admin.user.email}`);
    // PostgreSQL is somebody's real database: demo data only when asked for (`seed --demo`).
    const loadDemo = admin && db.kind === 'pglite' && config.demo;
    if (loadDemo) step('Loading the demo data (first start only)');
    const demo = loadDemo ? await seedDemo(db, config) : undefined;
    return { admin, demo };
  });
}

/** The banner that shows the admin token; it is printed once and never stored in plain text. */
export function adminBanner(admin: { user: { email: string }; token: string }): string {
  return [
    '',
    `Created the site admin ${admin.user.email}. Its API token (shown only this once):`,
    '',
    `    ${admin.token}`,
    '',
    'Send it as "Authorization: Bearer <token>" (GraphiQL: the Headers tab).',
    '',
  ].join('\n');
}
