// The browsing lists of GraphQL (docs/graphql.md, "Browsing"): the spaces the viewer may view and the users
// whose name, e-mail or username starts with a query. Both in id order, keyset-paged, filtered inside the
// statement so pages are full and counts reveal nothing the viewer may not see.
import type { Ctx } from '../context.js';
import { Prisma, type Space, type User } from '../generated/prisma/client.js';
import { pageOf, type KeysetPage, type Page } from './paging.js';
import { where } from './relation-sql.js';
import { columnsOf, rowOf } from './row-columns.js';
import { spaceViewable } from './space-access.js';
import { readAs } from './callers.js';

/** One page of the spaces the viewer may view, in id order; the rows go to the request's loaders. */
export async function browseSpaces(ctx: Ctx, { limit, after }: KeysetPage): Promise<Page<Space>> {
  if (limit === 0) return { rows: [], hasMore: false };
  const conditions = [Prisma.sql`s.id > ${after ?? 0}`, ...spaceViewable('s', ctx.viewer)];
  const rows = await readAs(ctx, Prisma.sql`SELECT ${columnsOf('spaces', 's')} FROM spaces s WHERE ${where(conditions)} ORDER BY s.id LIMIT ${limit + 1}`);
  const spaces = rows.map((row) => rowOf(row, 'spaces', 's') as Space);
  for (const space of spaces) ctx.loaders.spaces.prime(space.id, space);
  return pageOf(spaces, limit);
}

/** How many spaces `browseSpaces` walks through in all. */
export async function countSpaces(ctx: Ctx): Promise<number> {
  const conditions = spaceViewable('s', ctx.viewer);
  const filter = conditions.length ? Prisma.sql`WHERE ${where(conditions)}` : Prisma.empty;
  const [{ count }] = await readAs<{ count: number }>(ctx, Prisma.sql`SELECT count(*)::int AS count FROM spaces s ${filter}`);
  return count;
}

/** The columns a user search matches by prefix, each with its `lower(column) text_pattern_ops` index. */
const SEARCHED = ['display_name', 'email', 'username'] as const;

/**
 * The ids of users with a column starting with `query`, case-insensitively. Written as a range of lower(column)
 * in byte order (`~>=~`, `~<~`, what text_pattern_ops indexes), not as LIKE: the hot reads run as prepared
 * statements with generic plans (src/db/database.ts), and a generic plan cannot turn `LIKE $1` into an index
 * range because the pattern is unknown when it is planned; a range of parameters it can. So `%`, `_` and `\`
 * are plain characters here with no escaping. Every string starting with the prefix p sorts in [p, p || U+10FFFF)
 * (the largest code point), and every other string outside it, except the ones continuing p with U+10FFFF itself,
 * a noncharacter no name holds. One branch per column, so each one walks its own index.
 */
function matchingIds(query: string): Prisma.Sql {
  const branches = SEARCHED.map((column) => {
    const lowered = Prisma.raw(`lower(${column})`);
    return Prisma.sql`SELECT id FROM users WHERE ${lowered} ~>=~ lower(${query}) AND ${lowered} ~<~ (lower(${query}) || chr(1114111))`;
  });
  return Prisma.join(branches, ' UNION ');
}

/** A search no stored name can match: PostgreSQL text cannot hold a NUL. */
const unmatchable = (query: string) => query.includes('\u0000');

/** A user search as given: absent or empty means every user. */
const searchOf = (query: string | null | undefined): string | null => (query ? query : null);

/** The statement of one page of `browseUsers`: the ids first (through the prefix indexes with a search), then their rows. */
export function usersPageStatement(search: string | null, { limit, after }: KeysetPage): Prisma.Sql {
  const ids =
    search === null
      ? Prisma.sql`SELECT id FROM users WHERE id > ${after ?? 0} ORDER BY id LIMIT ${limit + 1}`
      : Prisma.sql`SELECT id FROM (${matchingIds(search)}) m WHERE id > ${after ?? 0} ORDER BY id LIMIT ${limit + 1}`;
  return Prisma.sql`SELECT ${columnsOf('users', 'u')} FROM (${ids}) p JOIN users u ON u.id = p.id ORDER BY u.id`;
}

/** The statement counting what `browseUsers` walks through in all. */
export function usersCountStatement(search: string | null): Prisma.Sql {
  const from = search === null ? Prisma.sql`users` : Prisma.sql`(${matchingIds(search)}) m`;
  return Prisma.sql`SELECT count(*)::int AS count FROM ${from}`;
}

/** One page of the users whose display name, e-mail or username starts with `query` (every user without one), in id order. */
export async function browseUsers(ctx: Ctx, query: string | null | undefined, page: KeysetPage): Promise<Page<User>> {
  const search = searchOf(query);
  if (page.limit === 0 || (search !== null && unmatchable(search))) return { rows: [], hasMore: false };
  const rows = await readAs(ctx, usersPageStatement(search, page));
  const users = rows.map((row) => rowOf(row, 'users', 'u') as User);
  for (const user of users) ctx.loaders.users.prime(user.id, user);
  return pageOf(users, page.limit);
}

/** How many users `browseUsers` walks through in all. */
export async function countUsers(ctx: Ctx, query: string | null | undefined): Promise<number> {
  const search = searchOf(query);
  if (search !== null && unmatchable(search)) return 0;
  const [{ count }] = await readAs<{ count: number }>(ctx, usersCountStatement(search));
  return count;
}
