// The SQL behind nested relation fields: one statement answers a field for all of its parents at once,
// each parent with its own keyset page (unnest of the parent ids, a LATERAL page per parent). The other
// end may be of any type when the field does not name one, so its joins and rules are written per type.
import { Prisma } from '../generated/prisma/client.js';
import type { Viewer } from '../domain/access.js';
import type { ContentSelector, EntityType } from '../domain/entities.js';
import { fieldsOf } from './row-columns.js';
import { packedLayout, packedReader } from './packed-rows.js';
import type { Content, ContentVersion, Space, User } from '../generated/prisma/client.js';
import { endConditions, endJoins, PAGE_FIELDS, relationReaderAt, shownVersionKey, shownVersionNumber, visibility, type End, type RelationRow } from './relation-sql.js';

const entityType = (type: EntityType) => Prisma.sql`${type}::"EntityType"`;
const col = (end: End, name: string) => Prisma.raw(`r.${end}_${name}`);
const alias = (end: End, table: 'c' | 's') => Prisma.raw(`${end[0]}${table}`);

/** The other end's type: one type, or `null` for every type. */
export type OtherType = EntityType | null;

/** Joins behind an end of any type: its content (when it is content) and the space that governs it. */
function anyEndJoins(end: End): Prisma.Sql {
  const c = alias(end, 'c');
  const s = alias(end, 's');
  return Prisma.sql`LEFT JOIN content ${c} ON ${col(end, 'type')} = ${entityType('CONTENT')} AND ${c}.id = ${col(end, 'id')}
    LEFT JOIN spaces ${s} ON ${s}.id = CASE WHEN ${col(end, 'type')} = ${entityType('SPACE')} THEN ${col(end, 'id')} ELSE ${c}.space_id END`;
}

/** As endConditions, for an end of any type: users always visible; status and version select content only. */
function anyEndConditions(end: End, viewer: Viewer, selector: ContentSelector | 'any'): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  const isContent = Prisma.sql`${col(end, 'type')} = ${entityType('CONTENT')}`;
  if (selector !== 'any') {
    conditions.push(Prisma.sql`${col(end, 'version')} = CASE WHEN ${isContent} THEN ${selector.version}::int ELSE 0 END`);
    if (selector.status !== 'any' && selector.status !== 'historical') {
      conditions.push(Prisma.sql`(NOT ${isContent} OR ${alias(end, 'c')}.status = ${selector.status})`);
    }
  }
  const visible = visibility(end, 'SPACE', viewer);
  if (visible.length) conditions.push(Prisma.sql`(${col(end, 'type')} = ${entityType('USER')} OR ${Prisma.join(visible, ' AND ')})`);
  return conditions;
}

export function otherEndJoins(end: End, type: OtherType): Prisma.Sql {
  return type ? endJoins(end, type) : anyEndJoins(end);
}

export function otherEndConditions(end: End, type: OtherType, viewer: Viewer, selector: ContentSelector | 'any'): Prisma.Sql[] {
  return type ? endConditions(end, type, viewer, selector) : anyEndConditions(end, viewer, selector);
}

/**
 * Conditions tying a relation's anchor end to the current parent of `unnest(...) a(id)`. Through the typed
 * column too (source_user_id …): without a name the name-led indexes do not apply, and that one is indexed.
 */
export function parentConditions(end: End, type: EntityType, named: boolean): Prisma.Sql[] {
  const conditions = [Prisma.sql`${col(end, 'type')} = ${entityType(type)}`, Prisma.sql`${col(end, 'id')} = a.id`, Prisma.sql`${col(end, 'version')} = 0`];
  if (!named) conditions.push(Prisma.sql`${Prisma.raw(`r.${end}_${type.toLowerCase()}_id`)} = a.id`);
  return conditions;
}

/** `unnest` of the parents' ids as `a(id)`: one array parameter, so the statement text is the same for 1 or 200 parents. */
export const parents = (ids: number[]) => Prisma.sql`unnest(${ids}::int[]) AS a(id)`;

// The kinds of row withDistinctEnds sends, packed into shared columns.
const ENDS = packedLayout([
  { alias: 'r', table: 'relations', fields: PAGE_FIELDS },
  { alias: 'u', table: 'users', fields: fieldsOf('users') },
  { alias: 'c', table: 'content', fields: fieldsOf('content') },
  { alias: 's', table: 'spaces', fields: fieldsOf('spaces') },
  { alias: 'v', table: 'content_versions', fields: fieldsOf('content_versions') },
]);
const readRelation = relationReaderAt(ENDS.positions('r') as Parameters<typeof relationReaderAt>[0]);
const readUser = packedReader<User>(ENDS, 'u');
const readContent = packedReader<Content>(ENDS, 'c');
const readSpace = packedReader<Space>(ENDS, 's');
const readVersion = packedReader<ContentVersion>(ENDS, 'v');

/**
 * Wraps a traversal page (selecting only `r.id`) so that its rows come back with every end they show, each
 * distinct end once: the relations (`k` 'r'), the users (creators, user ends, with `showsVersion` the versions'
 * authors: 'u'), the content ends ('c'), their spaces and the space ends ('s') and the versions shown ('v').
 * A nested page repeats its ends: the watches of a hundred users name those hundred creators and a few hundred
 * spaces over and over, which joined to each row were about half of what pg decoded and the loaders were primed with.
 * The relations come in no particular order: the reader orders them. A content end shows its pinned version,
 * else (with `showsVersion`) its latest.
 */
export function withDistinctEnds(pageIds: Prisma.Sql, otherEnd: End, showsVersion: boolean): Prisma.Sql {
  const other = (name: string) => Prisma.raw(`r.${otherEnd}_${name}`);
  const shown = shownVersionNumber(other('version'), Prisma.sql`c.version`, showsVersion);
  const authors = showsVersion ? Prisma.sql` UNION ALL SELECT v.by_id FROM versions v` : Prisma.empty;
  return Prisma.sql`WITH page AS MATERIALIZED (SELECT r.* FROM (${pageIds}) p JOIN relations r ON r.id = p.id),
    ends AS MATERIALIZED (SELECT c.* FROM content c WHERE c.id IN (SELECT ${other('content_id')} FROM page r)),
    versions AS MATERIALIZED (SELECT v.* FROM content_versions v
      WHERE (v.content_id, v.number) IN (SELECT c.id, ${shown} FROM page r JOIN ends c ON c.id = ${other('content_id')}))
    SELECT ${ENDS.select('r')} FROM page r
    UNION ALL SELECT ${ENDS.select('u')} FROM users u
      WHERE u.id IN (SELECT r.created_by_id FROM page r UNION ALL SELECT ${other('user_id')} FROM page r${authors})
    UNION ALL SELECT ${ENDS.select('c')} FROM ends c
    UNION ALL SELECT ${ENDS.select('s')} FROM spaces s WHERE s.id IN (SELECT ${other('space_id')} FROM page r UNION ALL SELECT c.space_id FROM ends c)
    UNION ALL SELECT ${ENDS.select('v')} FROM versions v`;
}

/** What a `withDistinctEnds` statement read: its relations in ascending id order, each end once. */
export interface DistinctEnds {
  relations: RelationRow[];
  users: User[];
  spaces: Space[];
  contents: Content[];
  /** The versions the content ends show, under their loader keys; null where the shown version is gone. */
  versions: { key: string; row: ContentVersion | null }[];
}

/** Reads the rows of withDistinctEnds (as arrays). */
export function readDistinctEnds(rows: unknown[][], otherEnd: End, showsVersion: boolean): DistinctEnds {
  const of = (kind: string) => rows.filter((row) => row[0] === kind);
  const contents = of('c').map(readContent);
  const found = new Map<string, ContentVersion>();
  for (const v of of('v').map(readVersion)) found.set(`${v.contentId}:${v.number}`, v);
  const relations = of('r')
    .map(readRelation)
    .sort((a, b) => a.id - b.id);
  // Every version a relation shows, found or not: a pinned version that is gone is primed as null, as withEnds does.
  const byId = new Map(contents.map((c) => [c.id, c]));
  const keys = new Set<string>();
  for (const r of relations) {
    const content = byId.get(r[`${otherEnd}ContentId`] ?? -1);
    const key = content && shownVersionKey(content, r[`${otherEnd}Version`], showsVersion);
    if (key) keys.add(key);
  }
  return {
    relations,
    users: of('u').map(readUser),
    spaces: of('s').map(readSpace),
    contents,
    versions: [...keys].map((key) => ({ key, row: found.get(key) ?? null })),
  };
}
