// Everything that resolving some entity references will read, in one statement, put into the request's
// loaders: the users behind user keys, the spaces behind space keys, the content behind content ids with
// their spaces, pinned versions and the viewer's membership in each space. resolve.ts then decides
// from the primed loaders exactly as before (same rules, same errors, same order); it just issues no
// statement of its own. Without this a relation write read user, content, space and membership one
// round trip after another. A read goes further (`resolveWithRead`): the same joins lead its own statement,
// so resolving the anchor and reading the page is one round trip.
import { Prisma } from '../generated/prisma/client.js';
import type { Ctx } from '../context.js';
import type { Level } from '../domain/access.js';
import { contentSelector, impossibleKey, parseContentId, USER_KEY_FIELDS, type EntityRef } from '../domain/entities.js';
import { resolveEntity, type ResolvedEntity } from './resolve.js';
import { columnsOf, fromJson, jsonOf, rowOf, snake, type Table } from './row-columns.js';
import { readAs, readRowsAs } from './callers.js';

const KEY_COLUMNS = USER_KEY_FIELDS.map((field) => Prisma.raw(snake(field)));

/**
 * The version a reference pins, known before it resolves: what resolve.ts's pinnedVersion will say once it
 * has (0 for users and spaces, and for an invalid selector, which resolution then refuses).
 */
export function askedVersion(ref: EntityRef): number {
  if (ref.type !== 'CONTENT') return 0;
  try {
    return contentSelector(ref.status, ref.version).version;
  } catch {
    return 0;
  }
}

/** What a part reads back: a table's row under an alias, or the viewer's membership level joined as `level`. */
type Read = { table: Table; alias: string } | { level: string };

/** The key a membership level is read back under, from its columns or from the JSON value alike. */
const levelKey = (m: string) => `${m}.level`;

interface Part {
  /** The entity's id once joined (NULL when the key names nothing). */
  id: Prisma.Sql;
  joins: Prisma.Sql[];
  /** What is read back, as columns (columnsOfParts) or as one JSON value (anchorOfParts). */
  reads: Read[];
  /** Reads the row back into the loaders. */
  prime: (row: Record<string, unknown>) => void;
}

function userPart(ctx: Ctx, key: string, a: string): Part | null {
  if (key === 'current' || impossibleKey(key)) return null;
  return {
    id: Prisma.raw(`${a}.id`),
    // The first user whose key fields, in USER_KEY_FIELDS' order of precedence, equal the key.
    joins: [
      Prisma.sql`LEFT JOIN LATERAL (SELECT * FROM users WHERE ${Prisma.join(
        KEY_COLUMNS.map((c) => Prisma.sql`${c} = ${key}`),
        ' OR ',
      )}
        ORDER BY ${Prisma.join(KEY_COLUMNS.map((c) => Prisma.sql`${c} = ${key} DESC`))} LIMIT 1) ${Prisma.raw(a)} ON true`,
    ],
    reads: [{ table: 'users', alias: a }],
    prime: (row) => {
      const user = rowOf(row, 'users', a);
      ctx.loaders.usersByKey.prime(key, user);
      if (user) ctx.loaders.users.prime(user.id, user);
    },
  };
}

/** The viewer's level in the space joined as `s` (site admins need none: viewerHas does not ask). */
function memberPart(ctx: Ctx, s: string, m: string): Pick<Part, 'joins' | 'reads'> & { level: (row: Record<string, unknown>) => Level | null } {
  return {
    joins: [Prisma.sql`LEFT JOIN space_members ${Prisma.raw(m)} ON ${Prisma.raw(m)}.space_id = ${Prisma.raw(s)}.id AND ${Prisma.raw(m)}.user_id = ${ctx.viewer.id}`],
    reads: [{ level: m }],
    level: (row) => (row[levelKey(m)] as Level | null) ?? null,
  };
}

function spacePart(ctx: Ctx, key: string, a: string): Part | null {
  if (impossibleKey(key)) return null;
  const s = `${a}s`;
  const member = memberPart(ctx, s, `${a}m`);
  return {
    id: Prisma.raw(`${s}.id`),
    joins: [Prisma.sql`LEFT JOIN spaces ${Prisma.raw(s)} ON ${Prisma.raw(s)}.key = ${key}`, ...member.joins],
    reads: [{ table: 'spaces', alias: s }, ...member.reads],
    prime: (row) => {
      const space = rowOf(row, 'spaces', s);
      ctx.loaders.spacesByKey.prime(key, space);
      if (!space) return;
      ctx.loaders.spaces.prime(space.id, space);
      ctx.loaders.memberLevels.prime(space.id, member.level(row));
    },
  };
}

/**
 * `shown`: also the version the content shows (the pinned one, else its latest) with that version's author,
 * which a read displays for the anchor; a write needs only the pinned version, to check it exists.
 */
function contentPart(ctx: Ctx, ref: EntityRef, a: string, shown: boolean): Part | null {
  const id = parseContentId(ref.key);
  if (id === null) return null;
  const [c, s, v, vu] = [`${a}c`, `${a}s`, `${a}v`, `${a}vu`];
  const version = askedVersion(ref);
  const member = memberPart(ctx, s, `${a}m`);
  const number = version ? Prisma.sql`${version}` : Prisma.raw(`${c}.version`);
  const withVersion = version > 0 || shown;
  return {
    id: Prisma.raw(`${c}.id`),
    joins: [
      Prisma.sql`LEFT JOIN content ${Prisma.raw(c)} ON ${Prisma.raw(c)}.id = ${id}`,
      Prisma.sql`LEFT JOIN spaces ${Prisma.raw(s)} ON ${Prisma.raw(s)}.id = ${Prisma.raw(c)}.space_id`,
      ...member.joins,
      ...(withVersion
        ? [Prisma.sql`LEFT JOIN content_versions ${Prisma.raw(v)} ON ${Prisma.raw(`${v}.content_id = ${c}.id`)} AND ${Prisma.raw(v)}.number = ${number}`]
        : []),
      ...(shown ? [Prisma.raw(`LEFT JOIN users ${vu} ON ${vu}.id = ${v}.by_id`)] : []),
    ],
    reads: [
      { table: 'content', alias: c },
      { table: 'spaces', alias: s },
      ...member.reads,
      ...(withVersion ? [{ table: 'content_versions', alias: v } as const] : []),
      ...(shown ? [{ table: 'users', alias: vu } as const] : []),
    ],
    prime: (row) => {
      const content = rowOf(row, 'content', c);
      ctx.loaders.contents.prime(id, content);
      if (!content) return;
      const space = rowOf(row, 'spaces', s);
      if (space) {
        ctx.loaders.spaces.prime(space.id, space);
        ctx.loaders.memberLevels.prime(space.id, member.level(row));
      }
      if (withVersion) ctx.loaders.contentVersions.prime(`${id}:${version || content.version}`, rowOf(row, 'content_versions', v));
      const author = shown ? rowOf(row, 'users', vu) : null;
      if (author) ctx.loaders.users.prime(author.id, author);
    },
  };
}

interface Lookup {
  parts: Part[];
  /** Each ref's id in SQL: its joined row's, the viewer's for `current`, NULL for a key that can name nothing. */
  ids: Prisma.Sql[];
}

function lookup(ctx: Ctx, refs: EntityRef[], shown: boolean | boolean[]): Lookup {
  const parts: Part[] = [];
  const ids = refs.map((ref, i) => {
    const alias = `e${i}`;
    const part =
      ref.type === 'USER'
        ? userPart(ctx, ref.key, alias)
        : ref.type === 'SPACE'
          ? spacePart(ctx, ref.key, alias)
          : ref.type === 'CONTENT'
            ? contentPart(ctx, ref, alias, Array.isArray(shown) ? shown[i] : shown)
            : null;
    if (part) parts.push(part);
    return part ? part.id : ref.type === 'USER' && ref.key === 'current' ? Prisma.sql`${ctx.viewer.id}::int` : Prisma.sql`NULL::int`;
  });
  return { parts, ids };
}

const joinsOf = (parts: Part[]) =>
  Prisma.join(
    parts.flatMap((p) => p.joins),
    ' ',
  );
const columnsOfParts = (parts: Part[]) =>
  Prisma.join(parts.flatMap((p) => p.reads.map((r) => ('table' in r ? columnsOf(r.table, r.alias) : Prisma.raw(`${r.level}.level AS "${levelKey(r.level)}"`)))));

/** The parts' rows as one JSON array (a row's array, or a membership level, per read), where `when` holds. */
const anchorOfParts = (parts: Part[], when: string) =>
  Prisma.raw(
    `CASE WHEN ${when} THEN json_build_array(${parts
      .flatMap((p) => p.reads.map((r) => ('table' in r ? jsonOf(r.table, r.alias) : `${r.level}.level`)))
      .join(', ')}) END AS rg_anchor`,
  );

/** An `anchorOfParts` value, read back into the keys the parts' `prime` read (those of columnsOfParts). */
function anchorRow(parts: Part[], values: unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  let i = 0;
  for (const read of parts.flatMap((p) => p.reads)) {
    const value = values[i++];
    if ('table' in read) fromJson(read.table, read.alias, value as unknown[], row);
    else row[levelKey(read.level)] = value ?? null;
  }
  return row;
}

/** Loads what resolving `refs` needs in one statement (none when nothing is left to read) and primes the loaders. */
export async function prefetchEntities(ctx: Ctx, refs: EntityRef[]): Promise<void> {
  const { parts } = lookup(ctx, refs, false);
  if (parts.length === 0) return;
  const [row] = await readAs(ctx, Prisma.sql`SELECT ${columnsOfParts(parts)} FROM (SELECT 1) AS one ${joinsOf(parts)}`);
  for (const part of parts) part.prime(row);
}

/** Resolves refs in order, as relation operations always have: the first that fails is the error. */
async function resolveInOrder(ctx: Ctx, refs: EntityRef[], fields: string[]): Promise<ResolvedEntity[]> {
  const entities: ResolvedEntity[] = [];
  for (const [i, ref] of refs.entries()) entities.push(await resolveEntity(ctx, ref, fields[i]));
  return entities;
}

export interface ReadWithEntities {
  entities: ResolvedEntity[];
  columns: readonly string[];
  rows: unknown[][];
}

/**
 * Resolves `refs` and runs a read that needs their ids, in one statement: `build` gets each ref's id as SQL
 * and returns the read; the entity lookup leads it and the read joins it laterally, so each row carries the
 * entities' columns too. The rules then run in JS on the loaders primed from them (resolveEntity, the same
 * rules and errors as everywhere), and when one fails the rows are thrown away unseen. `key`: a column of
 * the read that is never null, to drop the one row an empty read leaves. When nothing needs looking up
 * (`current`, or a key that can name nothing) the refs resolve first, from the loaders, and the read runs alone.
 * The looked-up columns are named `e<i>…` and never clash with the read's; rows keep the read's order by `key`.
 * `shown` false: a content's latest version and its author are left out (nothing displays them, or the read
 * itself joins them); one flag for every ref, or one per ref.
 */
export async function resolveWithRead(
  ctx: Ctx,
  refs: EntityRef[],
  fields: string[],
  key: string,
  build: (ids: Prisma.Sql[]) => Prisma.Sql,
  shown: boolean | boolean[] = true,
): Promise<ReadWithEntities> {
  const { parts, ids } = lookup(ctx, refs, shown);
  if (parts.length === 0) {
    const entities = await resolveInOrder(ctx, refs, fields);
    const { columns, rows } = await readRowsAs(ctx, build(entities.map((e) => Prisma.sql`${e.id}::int`)));
    return { entities, columns, rows };
  }
  // The looked-up rows only on the first row, as one JSON value (anchorOfParts): a column per field would be a
  // NULL on every other row for PostgreSQL to write and the driver to read, and a CASE per field and row (pgbench,
  // the Umbraco list's statement: docs/performance.md). The lateral join keeps that row even when the read is empty
  // (rg_n NULL). The rows are numbered inside the lateral, where they come sorted by `key` already, and put in that
  // order here: numbered outside, the whole join went through a sort and a window first.
  const { columns, rows } = await readRowsAs(
    ctx,
    Prisma.sql`SELECT ${anchorOfParts(parts, 'coalesce(l.rg_n, 1) = 1')}, l.*
      FROM (SELECT 1) AS one ${joinsOf(parts)}
      LEFT JOIN LATERAL (SELECT rg_read.*, (row_number() OVER (ORDER BY rg_read.${Prisma.raw(`"${key}"`)}))::int AS rg_n FROM (${build(ids)}) rg_read) l ON true`,
  );
  const n = columns.indexOf('rg_n');
  rows.sort((a, b) => (a[n] as number) - (b[n] as number)); // one pass when they came in order, as they do
  const first = anchorRow(parts, rows[0][columns.indexOf('rg_anchor')] as unknown[]);
  for (const part of parts) part.prime(first);
  const entities = await resolveInOrder(ctx, refs, fields);
  const at = columns.indexOf(key);
  if (at < 0) throw new Error(`the read has no column ${key}`);
  return { entities, columns, rows: rows.filter((row) => row[at] !== null) };
}
