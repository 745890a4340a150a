// Counts the SQL statements a peer sends, at the driver (every pg client query, BEGIN/COMMIT included), and
// answers GET /__statements with the count so far and the last few statements (text, values, whether named):
// the bench reads the count around one request, bench/replay.ts the statements.
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';

export interface Sent {
  text: string;
  values: unknown[];
  named: boolean;
}

const KEPT = 10;
const counter: { count: number; recent: Sent[] } = { count: 0, recent: [] };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  counter.count++;
  const [first, second] = args as [string | { text: string; values?: unknown[]; name?: string }, unknown];
  const sent =
    typeof first === 'string'
      ? { text: first, values: Array.isArray(second) ? second : [], named: false }
      : { text: first.text, values: first.values ?? [], named: Boolean(first.name) };
  counter.recent.push(sent);
  if (counter.recent.length > KEPT) counter.recent.shift();
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

/** Answers the count and returns true when the request asked for it. */
export function answerCount(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== '/__statements') return false;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counter));
  return true;
}
