// SQL statements per request, counted at the driver around one request (after one warm-up request): ours in
// process (db.statements, every statement our code sends), the peers through their /__statements counter.
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { nextRequest, type Target } from './targets.js';

export interface StatementCount {
  key: string;
  /** Set where the same shape is counted at several page sizes. */
  pageSize?: number;
  statements: number;
}

export interface Counted {
  target: Target;
  pageSize?: number;
  /** Writes: the table's state before the two requests. */
  prepare?: () => Promise<void>;
}

/** Runs `fn` with our app in process on the database, and `send`, which asks it one target's request. */
export async function withOurApp<T>(databaseUrl: string, fn: (send: (target: Target) => Promise<void>, db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEMO: 'false', PORT: '0' });
  const db = await openDatabase({ databaseUrl, migrate: false });
  try {
    const app = createApp({ config, db });
    const send = async (target: Target) => {
      const { url, init } = nextRequest(target);
      const { pathname, search } = new URL(url);
      const res = await app.fetch(new Request(`http://bench${pathname}${search}`, init));
      const text = await res.text();
      if (res.status !== target.status) throw new Error(`${target.label}: HTTP ${res.status} in-process: ${text.slice(0, 300)}`);
    };
    return await fn(send, db);
  } finally {
    await db.close();
  }
}

/** Counts our targets against an in-process app on the same database (their URLs are rewritten to it). */
export function countStatements(databaseUrl: string, targets: Counted[]): Promise<StatementCount[]> {
  return withOurApp(databaseUrl, async (send, db) => {
    const counts: StatementCount[] = [];
    for (const { target, pageSize, prepare } of targets) {
      await prepare?.();
      await send(target);
      const before = db.statements.count;
      await send(target);
      counts.push({ key: target.key, ...(pageSize === undefined ? {} : { pageSize }), statements: db.statements.count - before });
    }
    return counts;
  });
}

/** One request of a peer's target, its answer read and its status checked. */
export async function sendToPeer(target: Target): Promise<void> {
  const { url, init } = nextRequest(target);
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (res.status !== target.status) throw new Error(`${target.label}: HTTP ${res.status}`);
}

async function peerCount(base: string): Promise<number> {
  const res = await fetch(`${base}/__statements`);
  return ((await res.json()) as { count: number }).count;
}

/**
 * Counts a peer's statements for one request of the target: the median of five, after a warm-up request.
 * (PostGraphile may open a pool connection mid-request, which first sends a SET of its own.)
 */
export async function countPeerStatements({ target, prepare }: Counted): Promise<StatementCount> {
  const base = new URL(target.url).origin;
  const send = () => sendToPeer(target);
  await prepare?.();
  await send();
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = await peerCount(base);
    await send();
    counts.push((await peerCount(base)) - before);
  }
  return { key: target.key, statements: counts.sort((a, b) => a - b)[2] };
}
