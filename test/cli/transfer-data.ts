// A deterministic model for export/import tests: every table, every end type, pinned versions, comments, nulls,
// gaps in ids and awkward text. `relations` sets the size; the rest stays small.
import type { Database } from '../../src/db/database.js';

const BASE = 500; // users, spaces and content each; relation g joins end a = g % BASE to end b = g / BASE

/** Text that JSON and PostgreSQL treat carefully: quotes, backslash, newline, U+2028, an astral character. */
export const AWKWARD = 'Zoë "Q" \\ line\nbreak \u2028 𝄞 ✓';

export function fillStatements(relations: number): string[] {
  if (relations >= BASE * BASE) throw new Error(`fewer than ${BASE * BASE} relations`);
  const end = (which: 'source' | 'target', type: string, id: string) =>
    ['USER', 'SPACE', 'CONTENT'].map((t) => `CASE WHEN ${type} = '${t}' THEN ${id} END AS ${which}_${t.toLowerCase()}_id`).join(', ');
  return [
    `INSERT INTO users (id, account_id, user_key, username, email, display_name, site_admin, created_at)
     SELECT i, md5('account' || i), md5('key' || i), 'user' || i, 'user' || i || '@example.com',
            CASE WHEN i = 2 THEN $awk$${AWKWARD}$awk$ ELSE 'User ' || i END, i = 1,
            timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute 0.001 second'
     FROM generate_series(1, ${BASE}) i`,
    `INSERT INTO api_tokens (id, user_id, name, hash, prefix, created_at, last_used_at)
     VALUES (1, 1, 'cli', repeat('a', 64), 'rg_aaaaaa', timestamptz '2026-02-01 10:00:00.123+00', NULL),
            (3, 2, $awk$${AWKWARD}$awk$, repeat('b', 64), 'rg_bbbbbb', timestamptz '2026-02-02 10:00:00+00', timestamptz '2026-02-03 11:12:13.999+00')`,
    `INSERT INTO spaces (id, key, name, type, status, description, public, created_by_id, created_at)
     SELECT i, 'SP' || i, 'Space ' || i, CASE WHEN i % 50 = 0 THEN 'personal' ELSE 'global' END,
            CASE WHEN i % 40 = 0 THEN 'archived' ELSE 'current' END, CASE WHEN i = 3 THEN $awk$${AWKWARD}$awk$ ELSE '' END,
            i % 4 <> 0, CASE WHEN i % 9 = 0 THEN NULL ELSE 1 + i % ${BASE} END,
            timestamptz '2025-06-01 00:00:00+00' + i * interval '1 hour'
     FROM generate_series(1, ${BASE}) i`,
    `INSERT INTO space_members (space_id, user_id, level)
     SELECT s, u, (ARRAY['VIEW', 'EDIT', 'ADMIN'])[1 + (s + u) % 3]::"SpaceLevel"
     FROM generate_series(1, ${BASE}) s, generate_series(1, 3) j, LATERAL (SELECT 1 + (s * 7 + j * 131) % ${BASE} AS u) x`,
    `INSERT INTO content (id, space_id, type, status, title, version, created_by_id, created_at, updated_at)
     SELECT i, 1 + i % ${BASE}, (ARRAY['page', 'blogpost', 'comment', 'folder'])[1 + i % 4],
            CASE WHEN i % 30 = 0 THEN 'trashed' WHEN i % 17 = 0 THEN 'draft' ELSE 'current' END,
            CASE WHEN i = 4 THEN $awk$${AWKWARD}$awk$ ELSE 'Page ' || i END, 1 + i % 3,
            CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + (i * 3) % ${BASE} END,
            timestamptz '2025-09-01 00:00:00+00' + i * interval '10 minutes',
            timestamptz '2025-10-01 00:00:00+00' + i * interval '7 minutes'
     FROM generate_series(1, ${BASE}) i`,
    `INSERT INTO content_versions (content_id, number, title, status, message, minor_edit, by_id, "when")
     SELECT c.id, n, c.title || ' v' || n, CASE WHEN n = c.version THEN c.status ELSE 'current' END,
            CASE WHEN n = 2 THEN 'second' ELSE '' END, n = 3, c.created_by_id, c.created_at + n * interval '1 day'
     FROM content c, generate_series(1, 3) n WHERE n <= c.version`,
    // Ids leave a gap after every thousand; every fifth relation has a comment, every eleventh content target is pinned.
    `INSERT INTO relations (id, name, source_type, source_id, source_version, target_type, target_id, target_version,
                            source_user_id, source_space_id, source_content_id, target_user_id, target_space_id, target_content_id,
                            created_by_id, created_at, comment)
     SELECT g + g / 1000, name, st::"EntityType", sid, 0, tt::"EntityType", tid, tv, ${end('source', 'st', 'sid')}, ${end('target', 'tt', 'tid')},
            CASE WHEN g % 13 = 0 THEN NULL ELSE 1 + g % ${BASE} END,
            timestamptz '2026-03-01 00:00:00+00' + g * interval '37 milliseconds',
            CASE WHEN g % 5 = 0 THEN 'note ' || g || CASE WHEN g % 10 = 0 THEN $awk$ ${AWKWARD}$awk$ ELSE '' END END
     FROM (SELECT g, (ARRAY['likes', 'mentions', 'related', 'Ünïcode ✓'])[1 + g % 4] AS name,
                  (ARRAY['USER', 'SPACE', 'CONTENT'])[1 + (g % ${BASE}) % 3] AS st, 1 + g % ${BASE} AS sid,
                  (ARRAY['USER', 'SPACE', 'CONTENT'])[1 + (g / ${BASE}) % 3] AS tt, 1 + g / ${BASE} AS tid,
                  CASE WHEN (g / ${BASE}) % 3 = 2 AND g % 11 = 0 THEN 1 ELSE 0 END AS tv
           FROM generate_series(1, ${relations}) g) r`,
    // Webhooks: the subscription moves (its secret too); a gap in ids, a null relation name, both event lists.
    `INSERT INTO webhooks (id, owner_id, name, url, secret, events, relation_name, created_at, cursor)
     VALUES (1, 1, 'hook', 'https://hooks.example/a', 'whsec_' || repeat('A', 43) || '=', ARRAY['CREATED'], NULL,
             timestamptz '2026-04-01 08:00:00.5+00', 0),
            (4, 2, $awk$${AWKWARD}$awk$, 'https://hooks.example/b?x=1', 'whsec_' || repeat('B', 43) || '=', ARRAY['CREATED', 'DELETED'], 'likes',
             timestamptz '2026-04-02 09:30:00+00', 0)`,
    ...['users', 'api_tokens', 'spaces', 'content', 'relations', 'webhooks'].map(
      (t) => `SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`,
    ),
  ];
}

export async function fillModel(db: Database, relations: number): Promise<void> {
  for (const statement of fillStatements(relations)) await db.prisma.$executeRawUnsafe(statement);
}

/** The id the n-th generated relation gets. */
export const relationId = (g: number) => g + Math.floor(g / 1000);
