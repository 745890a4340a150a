// The limit: one hand-written SQL statement (prepared, 3 joins, permission filter inside) + node:http + pg.
// GET /?user=<id>&first=25&after=<relation id>  (the viewer is taken on trust: no authentication cost)
import { createServer } from 'node:http';
import pg from 'pg';
import { LIMIT_SQL } from '../data.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX) || 10 });
const port = Number(process.env.PORT) || 4102;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://limit');
  const user = Number(url.searchParams.get('user'));
  const first = Math.min(Number(url.searchParams.get('first') ?? 25), 200);
  const after = Number(url.searchParams.get('after') ?? 0);
  if (!Number.isInteger(user) || !Number.isInteger(first) || !Number.isInteger(after)) {
    res.writeHead(400).end();
    return;
  }
  try {
    const { rows } = await pool.query({ name: 'likes_page', text: LIMIT_SQL, values: ['likes', user, after, first] });
    const results = rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      target: { id: String(r.content_id), type: r.type, status: r.status, title: r.title, version: r.version, space: { id: r.space_id, key: r.space_key, name: r.space_name } },
      createdBy: r.user_id === null ? null : { accountId: r.account_id, username: r.username, displayName: r.display_name, email: r.email },
    }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});

server.listen(port, '127.0.0.1', () => console.log(`limit listening on http://127.0.0.1:${port}/`));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
