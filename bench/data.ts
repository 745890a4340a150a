// The benchmark data set as SQL (generate_series, deterministic), run as-is on PostgreSQL and PGlite.

export const SEED_VERSION = 1;
export const USERS = 3_000;
export const SPACES = 300;
export const CONTENT = 20_000;
/** The bench user is user 1; its likes are the benchmarked anchor. */
export const BENCH_USER_ID = 1;
export const BENCH_EMAIL = 'bench@bench.example';

/** How many `likes` the bench user holds: enough for a deep page at 10,000 once permission-filtered. */
export const benchLikes = (relations: number) => Math.min(12_500, Math.floor(relations * 0.7));

/**
 * Space i is private when i % 4 = 0; the bench user is a member of private spaces with i % 8 = 0
 * and not of those with i % 8 = 4, so about 1/8 of its likes are invisible to it.
 */
export function seedStatements(relations: number): string[] {
  const k = benchLikes(relations);
  const step = Math.max(1, Math.floor(relations / k));
  const others = USERS - 1;
  return [
    // Consistent by construction: skip the per-row foreign-key triggers (reset at the end).
    `SET session_replication_role = replica`,
    `TRUNCATE relations, content_versions, content, space_members, api_tokens, spaces, users, long_tasks RESTART IDENTITY CASCADE`,
    `INSERT INTO users (id, account_id, user_key, username, email, display_name, created_at)
     SELECT i, md5('account' || i), md5('key' || i), CASE WHEN i = ${BENCH_USER_ID} THEN 'bench' ELSE 'user' || i END,
            CASE WHEN i = ${BENCH_USER_ID} THEN '${BENCH_EMAIL}' ELSE 'user' || i || '@bench.example' END,
            CASE WHEN i = ${BENCH_USER_ID} THEN 'Bench User' ELSE 'User ' || i END,
            now() - interval '400 days' + i * interval '1 minute'
     FROM generate_series(1, ${USERS}) i`,
    `INSERT INTO spaces (id, key, name, type, description, public, created_by_id, created_at)
     SELECT i, 'SP' || i, 'Space ' || i, 'global', 'Space number ' || i, i % 4 <> 0, 2 + (i * 7) % ${others},
            now() - interval '300 days' + i * interval '1 hour'
     FROM generate_series(1, ${SPACES}) i`,
    // The creator administers; every space gets 6 more members (none of them the bench user).
    `INSERT INTO space_members (space_id, user_id, level)
     SELECT DISTINCT ON (space_id, user_id) space_id, user_id, level FROM (
       SELECT s.id AS space_id, s.created_by_id AS user_id, 'ADMIN'::"SpaceLevel" AS level, 0 AS rank FROM spaces s
       UNION ALL
       SELECT s.id, 2 + (s.id * 13 + j * 101) % ${others}, (CASE WHEN j % 2 = 0 THEN 'EDIT' ELSE 'VIEW' END)::"SpaceLevel", j
       FROM spaces s, generate_series(1, 6) j
       UNION ALL
       SELECT s.id, ${BENCH_USER_ID}, 'VIEW'::"SpaceLevel", 9 FROM spaces s WHERE s.id % 8 = 0
     ) m ORDER BY space_id, user_id, rank`,
    `INSERT INTO content (id, space_id, type, status, title, version, created_by_id, created_at, updated_at)
     SELECT i, 1 + i % ${SPACES}, CASE WHEN i % 5 = 0 THEN 'blogpost' ELSE 'page' END,
            CASE WHEN i % 50 = 0 THEN 'draft' WHEN i % 97 = 0 THEN 'trashed' ELSE 'current' END,
            'Page ' || i, 1 + i % 3, 2 + (i * 31) % ${others},
            now() - interval '200 days' + i * interval '10 minutes', now() - interval '100 days' + i * interval '5 minutes'
     FROM generate_series(1, ${CONTENT}) i`,
    `INSERT INTO content_versions (content_id, number, title, status, message, by_id, "when")
     SELECT c.id, n, c.title, CASE WHEN n = c.version THEN c.status ELSE 'current' END, '', c.created_by_id,
            c.created_at + n * interval '1 day'
     FROM content c, generate_series(1, 3) n WHERE n <= c.version`,
    // Relation g belongs to the bench user when g % step = 0 (its j-th like); else to user 2 + g % others,
    // whose k-th relation targets a distinct content (7919 is prime and does not divide CONTENT).
    `INSERT INTO relations (id, name, source_type, source_id, target_type, target_id, source_user_id, target_content_id,
                            created_by_id, created_at)
     SELECT g, name, 'USER', u, 'CONTENT', t, u, t, u, now() - (${relations} - g) * interval '1 second'
     FROM (
       SELECT g,
              CASE WHEN bench THEN 'likes' WHEN g % 10 = 3 THEN 'watch' ELSE 'likes' END AS name,
              CASE WHEN bench THEN ${BENCH_USER_ID} ELSE 2 + g % ${others} END AS u,
              CASE WHEN bench THEN 1 + ((g / ${step} - 1)::bigint * 7919) % ${CONTENT}
                   ELSE 1 + ((g / ${others})::bigint * 7919 + (g % ${others}) * 131) % ${CONTENT} END AS t
       FROM (SELECT g, g % ${step} = 0 AND g / ${step} <= ${k} AS bench FROM generate_series(1, ${relations}) g) x
     ) r`,
    ...['users', 'spaces', 'content', 'relations', 'api_tokens'].map(
      (t) => `SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`,
    ),
    `SET session_replication_role = DEFAULT`,
  ];
}

/** The peers' schema: plain tables and foreign keys, filled from ours. */
export const PEER_STATEMENTS: string[] = [
  `SET session_replication_role = replica`,
  `DROP SCHEMA IF EXISTS peer CASCADE`,
  `CREATE SCHEMA peer`,
  `CREATE TABLE peer.users (id int PRIMARY KEY, username text NOT NULL, display_name text NOT NULL, email text NOT NULL, account_id text NOT NULL)`,
  `CREATE TABLE peer.spaces (id int PRIMARY KEY, key text NOT NULL UNIQUE, name text NOT NULL, public boolean NOT NULL)`,
  `CREATE TABLE peer.space_members (space_id int NOT NULL REFERENCES peer.spaces, user_id int NOT NULL REFERENCES peer.users, level text NOT NULL, PRIMARY KEY (space_id, user_id))`,
  `CREATE TABLE peer.content (id int PRIMARY KEY, space_id int NOT NULL REFERENCES peer.spaces, type text NOT NULL, status text NOT NULL,
     title text NOT NULL, version int NOT NULL, created_by_id int REFERENCES peer.users)`,
  `CREATE TABLE peer.relations (id int PRIMARY KEY, name text NOT NULL, source_user_id int NOT NULL REFERENCES peer.users,
     target_content_id int NOT NULL REFERENCES peer.content, created_by_id int REFERENCES peer.users, created_at timestamptz NOT NULL)`,
  `INSERT INTO peer.users SELECT id, username, display_name, email, account_id FROM users`,
  `INSERT INTO peer.spaces SELECT id, key, name, public FROM spaces`,
  `INSERT INTO peer.space_members SELECT space_id, user_id, level::text FROM space_members`,
  `INSERT INTO peer.content SELECT id, space_id, type, status, title, version, created_by_id FROM content`,
  `INSERT INTO peer.relations SELECT id, name, source_user_id, target_content_id, created_by_id, created_at
     FROM relations WHERE source_type = 'USER' AND target_type = 'CONTENT' AND source_version = 0 AND target_version = 0`,
  `CREATE INDEX ON peer.relations (source_user_id, name, id)`,
  `CREATE INDEX ON peer.relations (target_content_id)`,
  `CREATE INDEX ON peer.relations (created_by_id)`,
  `CREATE INDEX ON peer.content (space_id)`,
  `CREATE INDEX ON peer.content (created_by_id)`,
  `CREATE INDEX ON peer.space_members (user_id)`,
  `SET session_replication_role = DEFAULT`,
];

/** The limit's one statement: a page of relations with target content, its space and the creator, permission-filtered. */
export const LIMIT_SQL = `
  SELECT r.id, r.created_at, c.id AS content_id, c.type, c.status, c.title, c.version,
         s.id AS space_id, s.key AS space_key, s.name AS space_name,
         u.id AS user_id, u.account_id, u.username, u.display_name, u.email
  FROM relations r
  JOIN content c ON c.id = r.target_content_id
  JOIN spaces s ON s.id = c.space_id
  LEFT JOIN users u ON u.id = r.created_by_id
  WHERE r.name = $1 AND r.source_type = 'USER' AND r.source_id = $2 AND r.source_version = 0
    AND r.target_type = 'CONTENT' AND r.target_version = 0 AND c.status = 'current' AND r.id > $3
    AND (s.public OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = s.id AND m.user_id = $2))
  ORDER BY r.id LIMIT $4`;
