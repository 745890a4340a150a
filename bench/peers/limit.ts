// The limit: one hand-written SQL statement per request (prepared, the permission filter inside) + node:http + pg.
// The viewer is taken on trust (no authentication cost). Routes, each answering JSON:
//   GET    /?user=&first=&after=                  a user's own likes
//   GET    /from?viewer=&account=&first=          another user's likes, by accountId
//   GET    /to?viewer=&content=&first=            users who like a content
//   GET    /parent?viewer=&content=               relations from a content to contents (Umbraco)
//   GET    /one?viewer=&name=&account=&content=   one relation
//   GET    /nested?viewer=&favourites=&likers=&watches=   the viewer's favourites → their likers → their watches
//                                                  (one statement per level)
//   PUT    /relation?viewer=&name=&account=&content=
//   DELETE /relation?viewer=&name=&account=&content=
import { createServer } from 'node:http';
import pg from 'pg';
import { answerCount } from './count.js';
import * as SQL from './limit-sql.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX) || 10 });
const port = Number(process.env.PORT) || 4102;

type Row = Record<string, any>;
const run = async (name: keyof typeof SQL, values: unknown[]) => (await pool.query({ name, text: SQL[name], values })).rows as Row[];

const creator = (r: Row) =>
  r.creator_id === null ? null : { accountId: r.creator_account_id, username: r.creator_username, displayName: r.creator_display_name, email: r.creator_email };
const withContent = (r: Row) => ({
  id: r.id,
  createdAt: r.created_at,
  target: {
    id: String(r.content_id),
    type: r.type,
    status: r.status,
    title: r.title,
    version: r.version,
    space: { id: r.space_id, key: r.space_key, name: r.space_name },
  },
  createdBy: creator(r),
});
const withSource = (r: Row) => ({
  id: r.id,
  createdAt: r.created_at,
  source: { accountId: r.account_id, username: r.username, displayName: r.display_name, email: r.email },
  createdBy: creator(r),
});

/** Rows of a per-parent statement, grouped by their `parent` column. */
function byParent(rows: Row[]): Map<number, Row[]> {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.parent);
    if (group) group.push(row);
    else groups.set(row.parent, [row]);
  }
  return groups;
}

/** The nested walk: the statement of each level takes the previous level's ends as one array. */
async function nested(viewer: number, favourites: number, likers: number, watches: number) {
  const level1 = await run('NESTED_FAVOURITES', [viewer, favourites]);
  const likes = byParent(await run('NESTED_LIKERS', [level1.map((r) => r.content_id), likers]));
  const users = [...new Set([...likes.values()].flat().map((r) => r.source_id))];
  const watched = byParent(await run('NESTED_WATCHES', [users, viewer, watches]));
  return level1.map((f) => ({
    ...withContent(f),
    likes: (likes.get(f.content_id) ?? []).map((l) => ({
      ...withSource(l),
      watches: (watched.get(l.source_id) ?? []).map(withContent),
    })),
  }));
}

class BadRequest extends Error {}

function int(url: URL, name: string, fallback?: number): number {
  const raw = url.searchParams.get(name);
  const value = raw === null ? fallback : Number(raw);
  if (value === undefined || !Number.isInteger(value)) throw new BadRequest(name);
  return value;
}

function text(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new BadRequest(name);
  return value;
}

async function answer(method: string, url: URL): Promise<[number, unknown]> {
  const first = () => Math.min(int(url, 'first', 25), 200);
  const write = () => [text(url, 'name'), text(url, 'account'), int(url, 'content'), int(url, 'viewer')];
  switch (`${method} ${url.pathname}`) {
    case 'GET /':
      return [200, { results: (await run('FROM_USER', ['likes', int(url, 'user'), int(url, 'after', 0), first()])).map(withContent) }];
    case 'GET /from':
      return [200, { results: (await run('FROM_ACCOUNT', ['likes', text(url, 'account'), int(url, 'viewer'), int(url, 'after', 0), first()])).map(withContent) }];
    case 'GET /to':
      return [200, { results: (await run('TO_CONTENT', ['likes', int(url, 'content'), int(url, 'viewer'), int(url, 'after', 0), first()])).map(withSource) }];
    case 'GET /parent':
      return [200, { results: await run('PARENT', [int(url, 'content'), int(url, 'viewer')]) }];
    case 'GET /nested': {
      const page = (name: string, fallback: number) => Math.min(int(url, name, fallback), 200);
      return [200, { results: await nested(int(url, 'viewer'), page('favourites', 25), page('likers', 10), page('watches', 5)) }];
    }
    case 'GET /one': {
      const [row] = await run('ONE', [text(url, 'name'), text(url, 'account'), int(url, 'content'), int(url, 'viewer')]);
      return row ? [200, withContent(row)] : [404, { message: 'not found' }];
    }
    case 'PUT /relation': {
      const [row] = await run('PUT', write());
      return row ? [200, row] : [404, { message: 'not found' }];
    }
    case 'DELETE /relation':
      await run('DELETE', write());
      return [204, null];
    default:
      return [404, { message: 'no such route' }];
  }
}

const server = createServer(async (req, res) => {
  if (answerCount(req, res)) return;
  try {
    const [status, body] = await answer(req.method ?? 'GET', new URL(req.url ?? '/', 'http://limit'));
    if (body === null) res.writeHead(status).end();
    else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  } catch (error) {
    const bad = error instanceof BadRequest;
    res.writeHead(bad ? 400 : 500, { 'content-type': 'text/plain' }).end(bad ? `bad parameter: ${error.message}` : String(error));
  }
});

server.listen(port, '127.0.0.1', () => console.log(`limit listening on http://127.0.0.1:${port}/`));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
