// SQL statements per request, counted at the driver (db.statements) around one request to an in-process app.
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import type { Target } from './targets.js';

export interface StatementCount {
  key: string;
  pageSize: number;
  statements: number;
}

/** Counts one request per target (after one warm-up request each); targets' URLs are rewritten to the in-process app. */
export async function countStatements(databaseUrl: string, targets: { target: Target; pageSize: number }[]): Promise<StatementCount[]> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEMO: 'false', PORT: '0' });
  const db = await openDatabase({ databaseUrl, migrate: false });
  try {
    const app = createApp({ config, db });
    const send = async (target: Target) => {
      const url = new URL(target.url);
      const res = await app.fetch(new Request(`http://bench${url.pathname}${url.search}`, { method: target.method, headers: target.headers, body: target.body }));
      const json = await res.json();
      if (res.status !== 200) throw new Error(`${target.label}: HTTP ${res.status} in-process: ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };
    const counts: StatementCount[] = [];
    for (const { target, pageSize } of targets) {
      await send(target);
      const before = db.statements.count;
      await send(target);
      counts.push({ key: target.key, pageSize, statements: db.statements.count - before });
    }
    return counts;
  } finally {
    await db.close();
  }
}
