// The SQL behind nested relation fields: one statement answers a field for all of its parents at once,
// each parent with its own keyset page (unnest of the parent ids, a LATERAL page per parent). The other
// end may be of any type when the field does not name one, so its joins and rules are written per type.
import { Prisma } from '../generated/prisma/client.js';
import type { Viewer } from '../domain/access.js';
import type { ContentSelector, EntityType } from '../domain/entities.js';
import { columnsOf, rowReader } from './row-columns.js';
import {
  endConditions,
  endJoins,
  endsReader,
  PAGE_COLUMNS,
  relationReader,
  shownVersion,
  versionJoins,
  visibility,
  withEnds,
  type End,
  type RelationRow,
  type RowEnds,
} from './relation-sql.js';

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

/** As withEnds, for an other end of any type: each row carries whichever of user, space or content it has. */
export function withOtherEnds(pageIds: Prisma.Sql, otherEnd: End, otherType: OtherType, showsVersion: boolean): Prisma.Sql {
  if (otherType) return withEnds(pageIds, otherEnd, otherType, showsVersion);
  const version = col(otherEnd, 'version');
  // Through the typed end columns (source_user_id …), NULL unless the end has that type: an end of another type
  // costs no index lookup, where `type = 'USER' AND id = …` still looked the id up and then dropped the row.
  return Prisma.sql`SELECT ${PAGE_COLUMNS}, ${columnsOf('users', 'ou')}, ${columnsOf('content', 'oc')}, ${columnsOf('spaces', 'os')},
      ${columnsOf('content_versions', 'ov')}, ${showsVersion ? Prisma.sql`${columnsOf('users', 'ovu')},` : Prisma.empty} ${columnsOf('users', 'cu')}
    FROM (${pageIds}) p JOIN relations r ON r.id = p.id
    LEFT JOIN users ou ON ou.id = ${col(otherEnd, 'user_id')}
    LEFT JOIN content oc ON oc.id = ${col(otherEnd, 'content_id')}
    LEFT JOIN spaces os ON os.id = COALESCE(${col(otherEnd, 'space_id')}, oc.space_id)
    ${versionJoins(version, showsVersion)}
    LEFT JOIN users cu ON cu.id = r.created_by_id
    ORDER BY r.id`;
}

/** As endsReader, for rows of withOtherEnds. */
export function otherEndsReader(
  columns: string[],
  otherEnd: End,
  otherType: OtherType,
  showsVersion: boolean,
): (row: unknown[]) => { relation: RelationRow; ends: RowEnds } {
  if (otherType) return endsReader(columns, otherEnd, otherType, showsVersion);
  const relation = relationReader(columns);
  const users = (showsVersion ? ['cu', 'ou', 'ovu'] : ['cu', 'ou']).map((a) => rowReader(columns, 'users', a));
  const space = rowReader(columns, 'spaces', 'os');
  const content = rowReader(columns, 'content', 'oc');
  const version = rowReader(columns, 'content_versions', 'ov');
  const pinnedField = `${otherEnd}Version` as const;
  return (row) => {
    const r = relation(row);
    const c = content(row);
    return {
      relation: r,
      ends: {
        users: users.map((read) => read(row)).filter((u) => u !== null),
        space: space(row),
        content: c,
        version: c ? shownVersion(c, r[pinnedField], version(row), showsVersion) : null,
      },
    };
  };
}
