// Counts the SQL statements a peer sends, at the driver (every pg client query, BEGIN/COMMIT included), and
// answers GET /__statements with the count so far: the bench reads it around one request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';

const counter = { count: 0 };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  counter.count++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

/** Answers the count and returns true when the request asked for it. */
export function answerCount(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== '/__statements') return false;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counter));
  return true;
}
