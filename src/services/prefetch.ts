// Everything that resolving some entity references will read, in one statement, put into the request's
// loaders: the users behind user keys, the spaces behind space keys, the content behind content ids with
// their spaces, pinned versions and the viewer's membership in each space. resolve.ts then decides
// from the primed loaders exactly as before (same rules, same errors, same order); it just issues no
// statement of its own. Without this a relation write read user, content, space and membership one
// round trip after another.
import { Prisma } from '../generated/prisma/client.js';
import type { Ctx } from '../context.js';
import type { Level } from '../domain/access.js';
import { contentSelector, impossibleKey, parseContentId, USER_KEY_FIELDS, type EntityRef } from '../domain/entities.js';
import { columnsOf, rowOf, snake } from './row-columns.js';

const KEY_COLUMNS = USER_KEY_FIELDS.map((field) => Prisma.raw(snake(field)));

/** The pinned version a content reference asks for, or 0; an invalid selector is left for resolve.ts to refuse. */
function askedVersion(ref: EntityRef): number {
  try {
    return contentSelector(ref.status, ref.version).version;
  } catch {
    return 0;
  }
}

interface Part {
  joins: Prisma.Sql[];
  columns: Prisma.Sql[];
  /** Reads the row back into the loaders. */
  prime: (row: Record<string, unknown>) => void;
}

function userPart(ctx: Ctx, key: string, a: string): Part | null {
  if (key === 'current' || impossibleKey(key)) return null;
  return {
    // The first user whose key fields, in USER_KEY_FIELDS' order of precedence, equal the key.
    joins: [
      Prisma.sql`LEFT JOIN LATERAL (SELECT * FROM users WHERE ${Prisma.join(
        KEY_COLUMNS.map((c) => Prisma.sql`${c} = ${key}`),
        ' OR ',
      )}
        ORDER BY ${Prisma.join(KEY_COLUMNS.map((c) => Prisma.sql`${c} = ${key} DESC`))} LIMIT 1) ${Prisma.raw(a)} ON true`,
    ],
    columns: [columnsOf('users', a)],
    prime: (row) => {
      const user = rowOf(row, 'users', a);
      ctx.loaders.usersByKey.prime(key, user);
      if (user) ctx.loaders.users.prime(user.id, user);
    },
  };
}

/** The viewer's level in the space joined as `s` (site admins need none: viewerHas does not ask). */
function memberPart(ctx: Ctx, s: string, m: string): Pick<Part, 'joins' | 'columns'> & { level: (row: Record<string, unknown>) => Level | null } {
  return {
    joins: [Prisma.sql`LEFT JOIN space_members ${Prisma.raw(m)} ON ${Prisma.raw(m)}.space_id = ${Prisma.raw(s)}.id AND ${Prisma.raw(m)}.user_id = ${ctx.viewer.id}`],
    columns: [Prisma.raw(`${m}.level AS "${m}.level"`)],
    level: (row) => (row[`${m}.level`] as Level | null) ?? null,
  };
}

function spacePart(ctx: Ctx, key: string, a: string): Part | null {
  if (impossibleKey(key)) return null;
  const s = `${a}s`;
  const member = memberPart(ctx, s, `${a}m`);
  return {
    joins: [Prisma.sql`LEFT JOIN spaces ${Prisma.raw(s)} ON ${Prisma.raw(s)}.key = ${key}`, ...member.joins],
    columns: [columnsOf('spaces', s), ...member.columns],
    prime: (row) => {
      const space = rowOf(row, 'spaces', s);
      ctx.loaders.spacesByKey.prime(key, space);
      if (!space) return;
      ctx.loaders.spaces.prime(space.id, space);
      ctx.loaders.memberLevels.prime(space.id, member.level(row));
    },
  };
}

function contentPart(ctx: Ctx, ref: EntityRef, a: string): Part | null {
  const id = parseContentId(ref.key);
  if (id === null) return null;
  const [c, s, v] = [`${a}c`, `${a}s`, `${a}v`];
  const version = askedVersion(ref);
  const member = memberPart(ctx, s, `${a}m`);
  return {
    joins: [
      Prisma.sql`LEFT JOIN content ${Prisma.raw(c)} ON ${Prisma.raw(c)}.id = ${id}`,
      Prisma.sql`LEFT JOIN spaces ${Prisma.raw(s)} ON ${Prisma.raw(s)}.id = ${Prisma.raw(c)}.space_id`,
      ...member.joins,
      ...(version
        ? [Prisma.sql`LEFT JOIN content_versions ${Prisma.raw(v)} ON ${Prisma.raw(`${v}.content_id = ${c}.id`)} AND ${Prisma.raw(v)}.number = ${version}`]
        : []),
    ],
    columns: [columnsOf('content', c), columnsOf('spaces', s), ...member.columns, ...(version ? [columnsOf('content_versions', v)] : [])],
    prime: (row) => {
      const content = rowOf(row, 'content', c);
      ctx.loaders.contents.prime(id, content);
      if (!content) return;
      const space = rowOf(row, 'spaces', s);
      if (space) {
        ctx.loaders.spaces.prime(space.id, space);
        ctx.loaders.memberLevels.prime(space.id, member.level(row));
      }
      if (version) ctx.loaders.contentVersions.prime(`${id}:${version}`, rowOf(row, 'content_versions', v));
    },
  };
}

/** Loads what resolving `refs` needs in one statement (none when nothing is left to read) and primes the loaders. */
export async function prefetchEntities(ctx: Ctx, refs: EntityRef[]): Promise<void> {
  const parts = refs
    .map((ref, i) => {
      const alias = `e${i}`;
      if (ref.type === 'USER') return userPart(ctx, ref.key, alias);
      if (ref.type === 'SPACE') return spacePart(ctx, ref.key, alias);
      if (ref.type === 'CONTENT') return contentPart(ctx, ref, alias);
      return null;
    })
    .filter((part): part is Part => part !== null);
  if (parts.length === 0) return;
  const [row] = await ctx.db.read(
    Prisma.sql`SELECT ${Prisma.join(parts.flatMap((p) => p.columns))} FROM (SELECT 1) AS one ${Prisma.join(
      parts.flatMap((p) => p.joins),
      ' ',
    )}`,
  );
  for (const part of parts) part.prime(row);
}
