// The benchmark data set as SQL (generate_series, deterministic), run as-is on PostgreSQL and PGlite.
import { createHash } from 'node:crypto';

export const SEED_VERSION = 3;
export const USERS = 3_000;
export const SPACES = 300;
export const CONTENT = 20_000;
/** The bench user is user 1; its likes are the benchmarked anchor. */
export const BENCH_USER_ID = 1;
export const BENCH_EMAIL = 'bench@bench.example';
/** Another user with many likes, which the bench user reads by accountId (a stranger's view: some are hidden from it). */
export const OTHER_USER_ID = 2;
/**
 * The user the write shapes write as (each user writes only their own relations). Not the bench user, whose
 * reads would otherwise see its statistics and lists change under the writes: a user in the middle of the crowd.
 */
export const WRITER_USER_ID = 1_500;
/** A page many users like (the `to` lists): in space 8, private, of which the bench user is a member. */
export const POPULAR_CONTENT_ID = 7;
/** A page with `related` children (the Umbraco parent list): in space 2, public. */
export const PARENT_CONTENT_ID = 1;
/** How many contents the parent is `related` to; about 1 in 8 sits in a private space the bench user cannot see. */
export const RELATED_CHILDREN = 40;

/**
 * The nested walk (the `nested` shape): the bench user's favourites, each liked by fans, each fan watching pages.
 * Its rows come after every other relation (ids and creation times), under names no other read shape walks from
 * these anchors, so the other shapes read what they read before. The walk reads the newest likes and watches,
 * which are these rows at every data size: 10k and 1M relations walk the same number of rows.
 */
export const NESTED = {
  /** Favourite contents of the bench user: 6 of the 32 are hidden from it (5 in private spaces, 1 a draft). */
  favourites: 32,
  /** Users 2101..2200; none of them the bench user, the other user or the writer. */
  firstFan: 2_101,
  fans: 100,
  /** Fans who like each favourite (more than the walk's 10, so a like that already existed leaves the page full). */
  likersEach: 12,
  /** Pages each fan watches (at least 6 visible to the bench user; the walk reads 5). */
  watchesEach: 10,
} as const;

/** The accountId the seed gives user `id` (the same md5 as the SQL below). */
export const accountIdOf = (id: number) => createHash('md5').update(`account${id}`).digest('hex');

/** How many `likes` the bench user holds: enough for a deep page at 10,000 once permission-filtered. */
export const benchLikes = (relations: number) => Math.min(12_500, Math.floor(relations * 0.7));
/** About how many `likes` the other user holds (a few fewer where its rows fall on the bench user's). */
export const otherLikes = (relations: number) => Math.min(5_000, Math.floor(relations * 0.15));
/** How many users like the popular page. */
export const popularLikes = (relations: number) => Math.min(2_000, Math.floor(relations / 20));

/**
 * Space i is private when i % 4 = 0; the bench user is a member of private spaces with i % 8 = 0
 * and not of those with i % 8 = 4, so about 1/8 of the likes it reads are invisible to it.
 */
export function seedStatements(relations: number): string[] {
  const popular = popularLikes(relations);
  const regular = relations - popular - RELATED_CHILDREN;
  const k = benchLikes(relations);
  const step = Math.max(1, Math.floor(regular / k));
  const step2 = Math.max(2, Math.floor(regular / otherLikes(relations)));
  const others = USERS - 1;
  // Users 3.. hold the regular relations, so the other user's pairs never collide with theirs.
  const crowd = USERS - 2;
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
    // Relation g (up to `regular`) belongs to the bench user when g % step = 0 (its j-th like), else to the other
    // user when g % step2 = step2 / 2, else to user 3 + g % crowd, whose r-th relation targets a distinct content
    // other than the popular page (7919 is prime to 19,999). Then the popular page's likers, then the parent's children.
    `INSERT INTO relations (id, name, source_type, source_id, target_type, target_id, source_user_id, target_content_id,
                            created_by_id, created_at)
     SELECT g, name, 'USER', u, 'CONTENT', t, u, t, u, now() - (${relations} - g) * interval '1 second'
     FROM (
       SELECT g,
              CASE WHEN bench OR other THEN 'likes' WHEN g % 10 = 3 THEN 'watch' ELSE 'likes' END AS name,
              CASE WHEN bench THEN ${BENCH_USER_ID} WHEN other THEN ${OTHER_USER_ID} ELSE 3 + g % ${crowd} END AS u,
              CASE WHEN bench THEN 1 + ((g / ${step} - 1)::bigint * 7919) % ${CONTENT}
                   WHEN other THEN 1 + ((g / ${step2})::bigint * 7919 + 4999) % ${CONTENT}
                   ELSE (SELECT x + (x >= ${POPULAR_CONTENT_ID})::int
                         FROM (SELECT 1 + ((g / ${crowd})::bigint * 7919 + (g % ${crowd}) * 131) % ${CONTENT - 1} AS x) y) END AS t
       FROM (SELECT g, bench, NOT bench AND g % ${step2} = ${Math.floor(step2 / 2)} AS other
             FROM (SELECT g, g % ${step} = 0 AND g / ${step} <= ${k} AS bench FROM generate_series(1, ${regular}) g) b) x
     ) r`,
    `INSERT INTO relations (id, name, source_type, source_id, target_type, target_id, source_user_id, target_content_id,
                            created_by_id, created_at)
     SELECT ${regular} + i, 'likes', 'USER', 2 + i, 'CONTENT', ${POPULAR_CONTENT_ID}, 2 + i, ${POPULAR_CONTENT_ID}, 2 + i,
            now() - (${popular + RELATED_CHILDREN} - i) * interval '1 second'
     FROM generate_series(1, ${popular}) i`,
    `INSERT INTO relations (id, name, source_type, source_id, target_type, target_id, source_content_id, target_content_id,
                            created_by_id, created_at)
     SELECT ${regular + popular} + j, 'related', 'CONTENT', ${PARENT_CONTENT_ID}, 'CONTENT', t, ${PARENT_CONTENT_ID}, t, 2 + j,
            now() - (${RELATED_CHILDREN} - j) * interval '1 second'
     FROM (SELECT j, 1 + (${PARENT_CONTENT_ID} + j * 397) % ${CONTENT} AS t FROM generate_series(1, ${RELATED_CHILDREN}) j) c`,
    ...nestedWalkStatements(),
    ...['users', 'spaces', 'content', 'relations', 'api_tokens'].map(
      (t) => `SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1))`,
    ),
    `SET session_replication_role = DEFAULT`,
  ];
}

/**
 * The nested walk's relations, after all the rows above (ids from the highest one + 1, created after them):
 * the bench user's favourites, then the fans' likes of each favourite, then the fans' watches. A pair the crowd
 * already holds (a like or watch of the same page) is skipped: the others keep the walk's pages full.
 */
function nestedWalkStatements(): string[] {
  const { favourites, firstFan, fans, likersEach, watchesEach } = NESTED;
  const rows = (select: string) => `INSERT INTO relations (id, name, source_type, source_id, target_type, target_id, source_user_id, target_content_id,
                            created_by_id, created_at)
     SELECT (SELECT max(id) FROM relations) + n, name, 'USER', u, 'CONTENT', t, u, t, u, now() + n * interval '1 millisecond'
     FROM (SELECT row_number() OVER (ORDER BY k) AS n, name, u, t FROM (${select}) w) x
     ON CONFLICT DO NOTHING`;
  // The j-th favourite: never the popular page nor the parent (their shapes' lists stay as they were).
  const favourite = `1 + (j * 509 + 11) % ${CONTENT}`;
  return [
    rows(`SELECT j AS k, 'favourite' AS name, ${BENCH_USER_ID} AS u, ${favourite} AS t FROM generate_series(1, ${favourites}) j`),
    rows(`SELECT j * 100 + i AS k, 'likes' AS name, ${firstFan} + (j * 7 + i * 11) % ${fans} AS u, ${favourite} AS t
          FROM generate_series(1, ${favourites}) j, generate_series(1, ${likersEach}) i`),
    rows(`SELECT f * 100 + m AS k, 'watch' AS name, ${firstFan} + f AS u, 1 + (f * 613 + m * 2029 + 17) % ${CONTENT} AS t
          FROM generate_series(0, ${fans - 1}) f, generate_series(1, ${watchesEach}) m`),
  ];
}
