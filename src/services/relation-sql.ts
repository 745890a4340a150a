// The SQL behind relation reads and writes. Permission filtering happens here, inside the
// statement, so pages are full and counts reveal nothing the viewer may not see.
import { Prisma } from '../generated/prisma/client.js';
import type { Content, ContentVersion, Relation, Space, User } from '../generated/prisma/client.js';
import type { Level, Viewer } from '../domain/access.js';
import type { ContentSelector, EntityType } from '../domain/entities.js';
import { columnsOf, rowReader, snake } from './row-columns.js';
import { spaceViewable } from './space-access.js';

export type RelationRow = Relation;
export type End = 'source' | 'target';

export const RELATION_COLUMNS = Prisma.raw(
  [
    'r.id',
    'r.name',
    'r.source_type AS "sourceType"',
    'r.source_id AS "sourceId"',
    'r.source_version AS "sourceVersion"',
    'r.target_type AS "targetType"',
    'r.target_id AS "targetId"',
    'r.target_version AS "targetVersion"',
    'r.source_user_id AS "sourceUserId"',
    'r.source_space_id AS "sourceSpaceId"',
    'r.source_content_id AS "sourceContentId"',
    'r.target_user_id AS "targetUserId"',
    'r.target_space_id AS "targetSpaceId"',
    'r.target_content_id AS "targetContentId"',
    'r.created_by_id AS "createdById"',
    'r.created_at AS "createdAt"',
    'r.comment',
  ].join(', '),
);

const entityType = (type: EntityType) => Prisma.sql`${type}::"EntityType"`;
const col = (end: End, name: string) => Prisma.raw(`r.${end}_${name}`);
const alias = (end: End, table: 'c' | 's') => Prisma.raw(`${end[0]}${table}`);

/**
 * Joins the content and space behind one end, when it has them. Through the plain `${end}_id` (equal to the
 * typed column whenever the type matches, which the conditions require): the list indexes carry it, so the
 * walk can run on the index alone.
 */
export function endJoins(end: End, type: EntityType): Prisma.Sql {
  const c = alias(end, 'c');
  const s = alias(end, 's');
  if (type === 'CONTENT') return Prisma.sql`JOIN content ${c} ON ${c}.id = ${col(end, 'id')} JOIN spaces ${s} ON ${s}.id = ${c}.space_id`;
  if (type === 'SPACE') return Prisma.sql`JOIN spaces ${s} ON ${s}.id = ${col(end, 'id')}`;
  return Prisma.empty;
}

/** Conditions that keep only rows whose `end` the viewer may view, in the state the selector asks for ('any': every state and version). */
export function endConditions(end: End, type: EntityType, viewer: Viewer, selector: ContentSelector | 'any'): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`${col(end, 'type')} = ${entityType(type)}`];
  if (selector === 'any') return [...conditions, ...visibility(end, type, viewer)];
  conditions.push(Prisma.sql`${col(end, 'version')} = ${selector.version}`);
  if (type === 'CONTENT' && selector.status !== 'any' && selector.status !== 'historical') {
    conditions.push(Prisma.sql`${alias(end, 'c')}.status = ${selector.status}`);
  }
  return [...conditions, ...visibility(end, type, viewer)];
}

/** Users are visible to everyone; a space or content end as its (joined) space is (space-access.ts). */
export function visibility(end: End, type: EntityType, viewer: Viewer): Prisma.Sql[] {
  return type === 'USER' ? [] : spaceViewable(`${end[0]}s`, viewer);
}

/** Private relations (favourites) are seen only by their source user and site admins. */
export function privacyConditions(privateName: boolean, viewer: Viewer): Prisma.Sql[] {
  if (!privateName || viewer.siteAdmin) return [];
  return [Prisma.sql`r.source_type = 'USER'::"EntityType" AND r.source_id = ${viewer.id}`];
}

/** The privacy rule for a list that spans every name: private-named rows only for their source user. */
export function privacyAcrossNames(names: string[], viewer: Viewer): Prisma.Sql[] {
  if (names.length === 0 || viewer.siteAdmin) return [];
  return [Prisma.sql`(r.name NOT IN (${Prisma.join(names)}) OR (r.source_type = 'USER'::"EntityType" AND r.source_id = ${viewer.id}))`];
}

export function anchorConditions(end: End, type: EntityType, id: number, version: number): Prisma.Sql[] {
  return anchorConditionsAt(end, type, Prisma.sql`${id}`, version);
}

/** As anchorConditions, with the anchor's id an SQL expression (a column of the row that resolved it in the same statement). */
export function anchorConditionsAt(end: End, type: EntityType, id: Prisma.Sql, version: number): Prisma.Sql[] {
  return [Prisma.sql`${col(end, 'type')} = ${entityType(type)}`, Prisma.sql`${col(end, 'id')} = ${id}`, Prisma.sql`${col(end, 'version')} = ${version}`];
}

export const where = (conditions: Prisma.Sql[]) => Prisma.join(conditions, ' AND ');

/** The typed end column's value (source_user_id …): the end's id when its type is `type`, else null. */
const typedId = (endType: EntityType, id: number, type: EntityType) => (endType === type ? id : null);

export interface EndValues {
  type: EntityType;
  id: number;
  version: number;
}

/**
 * How an upsert returns a relation that already exists. `read`: the statement reads it, and writes nothing (no
 * new row version, no WAL, no commit flush); it returns no row when another transaction committed the relation
 * after the statement's snapshot was taken. `touched`: a no-op update returns it, whenever it exists.
 */
export type ExistingRow = 'read' | 'touched';

/** The conditions that find one relation by its identity: its name and both ends (the upsert's conflict key). */
export function identityConditions(name: string, source: EndValues, target: EndValues): Prisma.Sql[] {
  return [
    Prisma.sql`r.name = ${name}`,
    ...anchorConditions('source', source.type, source.id, source.version),
    ...anchorConditions('target', target.type, target.id, target.version),
  ];
}

/** Creates the relation, or returns the one that exists, in one atomic statement; `created` says which. */
export function upsertStatement(name: string, source: EndValues, target: EndValues, createdById: number, comment: string | null, existing: ExistingRow): Prisma.Sql {
  const typed = (end: EndValues, type: EntityType) => typedId(end.type, end.id, type);
  const insert = Prisma.sql`
    INSERT INTO relations AS r (name, source_type, source_id, source_version, target_type, target_id, target_version,
      source_user_id, source_space_id, source_content_id, target_user_id, target_space_id, target_content_id,
      created_by_id, comment)
    VALUES (${name}, ${entityType(source.type)}, ${source.id}, ${source.version}, ${entityType(target.type)}, ${target.id}, ${target.version},
      ${typed(source, 'USER')}::int, ${typed(source, 'SPACE')}::int, ${typed(source, 'CONTENT')}::int,
      ${typed(target, 'USER')}::int, ${typed(target, 'SPACE')}::int, ${typed(target, 'CONTENT')}::int,
      ${createdById}, ${comment})
    ON CONFLICT (name, source_type, source_id, source_version, target_type, target_id, target_version)`;
  // xmax = 0 only for a freshly inserted row.
  if (existing === 'touched') return Prisma.sql`${insert} DO UPDATE SET name = EXCLUDED.name RETURNING ${RELATION_COLUMNS}, (xmax = 0) AS created`;
  return Prisma.sql`
    WITH inserted AS (${insert} DO NOTHING RETURNING ${RELATION_COLUMNS})
    SELECT *, true AS created FROM inserted
    UNION ALL
    SELECT ${RELATION_COLUMNS}, false FROM relations r
    WHERE ${where(identityConditions(name, source, target))} AND NOT EXISTS (SELECT FROM inserted)`;
}

// Page rows leave out the six typed end columns (source_user_id …): a CHECK constraint keeps them equal to
// type + id, so the reader derives them. Fewer columns is less for pg to decode, 26 rows per page.
export const PAGE_FIELDS = [
  'id',
  'name',
  'sourceType',
  'sourceId',
  'sourceVersion',
  'targetType',
  'targetId',
  'targetVersion',
  'createdById',
  'createdAt',
  'comment',
] as const;
export type PageField = (typeof PAGE_FIELDS)[number];
const pageColumn = (f: PageField) => (snake(f) === f ? `r.${f}` : `r.${snake(f)} AS "${f}"`);
export const PAGE_COLUMNS = Prisma.raw(PAGE_FIELDS.map(pageColumn).join(', '));

/** The page fields a page's conditions can fix for every row: the name, and each end's type, id and version. */
const FIXABLE = ['name', 'sourceType', 'sourceId', 'sourceVersion', 'targetType', 'targetId', 'targetVersion'] as const satisfies readonly PageField[];
export type FixableField = (typeof FIXABLE)[number];

/**
 * Fields whose value the page's conditions fix for every row (a list's name, its anchor end, the type and
 * version of its other end): left out of the page's columns, and given to the reader instead.
 */
export type FixedFields = Partial<Pick<RelationRow, FixableField>>;

const pageColumnLists = new Map<string, Prisma.Sql>();

/** PAGE_COLUMNS without the fields `fixed` names. */
function pageColumnsWithout(fixed: readonly FixableField[]): Prisma.Sql {
  if (fixed.length === 0) return PAGE_COLUMNS;
  const key = fixed.join(' ');
  let columns = pageColumnLists.get(key);
  if (!columns)
    pageColumnLists.set(
      key,
      (columns = Prisma.raw(
        PAGE_FIELDS.filter((f) => !(fixed as readonly PageField[]).includes(f))
          .map(pageColumn)
          .join(', '),
      )),
    );
  return columns;
}

/** Reads a row's relation; `fixed` holds the fields the row leaves out. */
type FixedReader = (row: unknown[], fixed: FixedFields) => RelationRow;

const positions = (columns: readonly string[]) => Object.fromEntries(PAGE_FIELDS.map((f) => [f, columns.indexOf(f)])) as Record<PageField, number>;

/** Reads the relation of a row holding PAGE_COLUMNS (a `withEnds` row, say), with its typed end columns derived from type and id. */
export function relationReader(columns: readonly string[]): (row: unknown[]) => RelationRow {
  const at = positions(columns);
  if (PAGE_FIELDS.some((f) => at[f] < 0)) throw new Error('missing relation columns in the page');
  return relationReaderAt(at);
}

/** As relationReader, for rows that may leave out the fixable fields: the reader takes those from its `fixed`. */
function fixedRelationReader(columns: readonly string[]): FixedReader {
  const at = positions(columns);
  if (PAGE_FIELDS.some((f) => at[f] < 0 && !(FIXABLE as readonly PageField[]).includes(f))) throw new Error('missing relation columns in the page');
  return readerAt(at);
}

const NONE_FIXED: FixedFields = {};

/** A field from the row, or from `fixed` when the row does not hold it (`i` < 0). */
const field = <F extends FixableField>(row: unknown[], i: number, fixed: FixedFields, f: F): RelationRow[F] => (i >= 0 ? row[i] : fixed[f]) as RelationRow[F];

/** As relationReader, with each of PAGE_FIELDS at the given position of the row. */
export function relationReaderAt(at: Record<PageField, number>): (row: unknown[]) => RelationRow {
  const read = readerAt(at);
  return (row) => read(row, NONE_FIXED);
}

/** With each of PAGE_FIELDS at the given position of the row, or -1: given in `fixed`. */
function readerAt(at: Record<PageField, number>): FixedReader {
  return (row, fixed) => {
    const sourceType = field(row, at.sourceType, fixed, 'sourceType');
    const sourceId = field(row, at.sourceId, fixed, 'sourceId');
    const targetType = field(row, at.targetType, fixed, 'targetType');
    const targetId = field(row, at.targetId, fixed, 'targetId');
    // In the model's field order, as Prisma would build it.
    return {
      id: row[at.id] as number,
      name: field(row, at.name, fixed, 'name'),
      sourceType,
      sourceId,
      sourceVersion: field(row, at.sourceVersion, fixed, 'sourceVersion'),
      targetType,
      targetId,
      targetVersion: field(row, at.targetVersion, fixed, 'targetVersion'),
      sourceUserId: typedId(sourceType, sourceId, 'USER'),
      sourceSpaceId: typedId(sourceType, sourceId, 'SPACE'),
      sourceContentId: typedId(sourceType, sourceId, 'CONTENT'),
      targetUserId: typedId(targetType, targetId, 'USER'),
      targetSpaceId: typedId(targetType, targetId, 'SPACE'),
      targetContentId: typedId(targetType, targetId, 'CONTENT'),
      createdById: row[at.createdById] as number | null,
      createdAt: row[at.createdAt] as Date,
      comment: row[at.comment] as string | null,
    };
  };
}

/** What a `withEnds` page shows of its rows' ends, and which users the request holds already. */
export interface EndsShown {
  /** False when nothing will show a version: a content end's version only where the end pins one, whose title and status it shows, and no version author. Default true. */
  showsVersion?: boolean;
  /** False when nothing shows those versions' authors. Default `showsVersion`. */
  showsAuthor?: boolean;
  /** A user id (in SQL) whose row the request holds already (the page's anchor): a relation it created does not read it again. */
  heldUser?: Prisma.Sql;
  /**
   * Fields the page's conditions fix (FixedFields): not read, row after row, for PostgreSQL to write and pg to
   * parse (a list from an anchor: six of the eleven); the reader is given their values.
   */
  fixed?: readonly FixableField[];
}

/**
 * Wraps a page statement so that each row carries the relation, the other end (user, space, or content with
 * its space, shown version and that version's author) and the relation's creator, joined after LIMIT/OFFSET
 * so only the rows of the page pay for them. `select` builds the page from the columns it is given, ordered by
 * id and with its LIMIT; `offset` rows before it are skipped.
 * - With an OFFSET the page reads ids only, whose relations are joined after it: a skipped row costs an index
 *   entry, not a heap row.
 * - Without one (first pages, cursor pages, a single relation) it reads whole rows: each relation comes from
 *   the index scan that found it instead of a second lookup by its key (26 index descents fewer on a page of
 *   25; pgbench: about 9 % of the relationsTo statement's cost, docs/performance.md).
 * - A relation is most often created by one of the users it already names (a like, by its source user, listed
 *   from that user or from the page): the creator is read only when it is neither the row's other end nor
 *   `heldUser`, the reader priming each user it finds. Its lookup key is then NULL, which ends the index lookup
 *   before it descends (a condition beside the key would not).
 */
export function withEnds(
  select: (columns: Prisma.Sql) => Prisma.Sql,
  offset: number,
  otherEnd: End,
  otherType: EntityType,
  { showsVersion = true, showsAuthor = showsVersion, heldUser, fixed = [] }: EndsShown = {},
): Prisma.Sql {
  const id = col(otherEnd, 'id');
  const version = col(otherEnd, 'version');
  // An author only of a version that is read: one flag for the join and its columns.
  const withAuthor = showsVersion && showsAuthor;
  const page = offset > 0 ? Prisma.sql`(${select(Prisma.raw('r.id'))} OFFSET ${offset}) p JOIN relations r ON r.id = p.id` : Prisma.sql`(${select(Prisma.raw('r.*'))}) r`;
  const held = [...(otherType === 'USER' ? [id] : []), ...(heldUser ? [heldUser] : [])];
  const creatorKey =
    held.length === 0
      ? Prisma.raw('r.created_by_id')
      : Prisma.sql`CASE WHEN ${Prisma.join(
          held.map((user) => Prisma.sql`r.created_by_id <> ${user}`),
          ' AND ',
        )} THEN r.created_by_id END`;
  const creator = Prisma.sql`LEFT JOIN users cu ON cu.id = ${creatorKey}`;
  const columns = pageColumnsWithout(fixed);
  if (otherType === 'USER') {
    return Prisma.sql`SELECT ${columns}, ${columnsOf('users', 'ou')}, ${columnsOf('users', 'cu')}
      FROM ${page} LEFT JOIN users ou ON ou.id = ${id} ${creator} ORDER BY r.id`;
  }
  if (otherType === 'SPACE') {
    return Prisma.sql`SELECT ${columns}, ${columnsOf('spaces', 'os')}, ${columnsOf('users', 'cu')}
      FROM ${page} LEFT JOIN spaces os ON os.id = ${id} ${creator} ORDER BY r.id`;
  }
  return Prisma.sql`SELECT ${columns}, ${columnsOf('content', 'oc')}, ${columnsOf('spaces', 'os')}, ${columnsOf('content_versions', 'ov')},
      ${withAuthor ? Prisma.sql`${columnsOf('users', 'ovu')},` : Prisma.empty} ${columnsOf('users', 'cu')}
    FROM ${page}
    LEFT JOIN content oc ON oc.id = ${id}
    LEFT JOIN spaces os ON os.id = oc.space_id
    ${versionJoins(version, showsVersion, withAuthor)}
    ${creator}
    ORDER BY r.id`;
}

/**
 * The version a content end (joined as `oc`) shows, as `ov`, and `withAuthor` its author as `ovu`: the pinned
 * version, else the latest. Without `showsVersion` the latest is not read: its number is NULL there, which an
 * index lookup answers without reading the index.
 */
export function versionJoins(version: Prisma.Sql, showsVersion: boolean, withAuthor: boolean): Prisma.Sql {
  const number = shownVersionNumber(version, Prisma.sql`oc.version`, showsVersion);
  if (!withAuthor) return Prisma.sql`LEFT JOIN content_versions ov ON ov.content_id = oc.id AND ov.number = ${number}`;
  return Prisma.sql`LEFT JOIN content_versions ov ON ov.content_id = oc.id AND ov.number = ${number}
    LEFT JOIN users ovu ON ovu.id = ov.by_id`;
}

/**
 * The number of the version a content end shows, in SQL: the pinned one (`version` > 0), else with
 * `showsVersion` the latest (`latest`), else NULL, which an index lookup answers without reading the index.
 */
export function shownVersionNumber(version: Prisma.Sql, latest: Prisma.Sql, showsVersion: boolean): Prisma.Sql {
  return showsVersion ? Prisma.sql`CASE WHEN ${version} > 0 THEN ${version} ELSE ${latest} END` : Prisma.sql`CASE WHEN ${version} > 0 THEN ${version} END`;
}

/** What a `withEnds` row holds besides the relation; the version is null when its row is gone. */
export interface RowEnds {
  users: User[];
  space: Space | null;
  content: Content | null;
  /** The version the other end shows, under its loader key; only with content. */
  version: { key: string; row: ContentVersion | null } | null;
}

/**
 * The version a content end shows, under its loader key; null when the row was not read for that key (the
 * latest version, left out without `showsVersion`): priming the key with null would say it does not exist.
 */
export function shownVersion(content: Content, pinned: number, row: ContentVersion | null, showsVersion: boolean): RowEnds['version'] {
  const key = shownVersionKey(content, pinned, showsVersion);
  return key === null ? null : { key, row };
}

/** The loader key of the version a content end shows (as shownVersionNumber), or null when it is not read. */
export function shownVersionKey(content: Content, pinned: number, showsVersion: boolean): string | null {
  return pinned || showsVersion ? `${content.id}:${pinned || content.version}` : null;
}

/** Reads a row; `fixed` gives the fields the page left out (EndsShown.fixed). */
type EndsReader = (row: unknown[], fixed?: FixedFields) => { relation: RelationRow; ends: RowEnds };

// Readers by column list: a named statement's rows share one list (db/read.ts), so a page finds its reader built
// (finding each field's column cost more than reading the rows), and a list is forgotten with its statement's.
const endsReaders = new WeakMap<readonly string[], Map<string, EndsReader>>();

/** Reads `withEnds` rows (as arrays, with their column names): the relation and the rows joined to it. */
export function endsReader(columns: readonly string[], otherEnd: End, otherType: EntityType, showsVersion = true): EndsReader {
  let readers = endsReaders.get(columns);
  if (!readers) endsReaders.set(columns, (readers = new Map()));
  const key = `${otherEnd} ${otherType} ${showsVersion}`;
  let reader = readers.get(key);
  if (!reader) readers.set(key, (reader = buildEndsReader(columns, otherEnd, otherType, showsVersion)));
  return reader;
}

function buildEndsReader(columns: readonly string[], otherEnd: End, otherType: EntityType, showsVersion: boolean): EndsReader {
  const relation = fixedRelationReader(columns);
  const has = (alias: string) => columns.includes(`${alias}.id`) || columns.includes(`${alias}.contentId`);
  const userReaders = ['cu', 'ou', 'ovu'].filter(has).map((alias) => rowReader(columns, 'users', alias));
  const space = has('os') ? rowReader(columns, 'spaces', 'os') : () => null;
  const content = otherType === 'CONTENT' ? rowReader(columns, 'content', 'oc') : () => null;
  const version = otherType === 'CONTENT' ? rowReader(columns, 'content_versions', 'ov') : () => null;
  const pinnedField = `${otherEnd}Version` as const;
  return (row, fixed = NONE_FIXED) => {
    const r = relation(row, fixed);
    const c = content(row);
    const users: User[] = [];
    for (const read of userReaders) {
      const user = read(row);
      if (user) users.push(user);
    }
    return {
      relation: r,
      ends: { users, space: space(row), content: c, version: c ? shownVersion(c, r[pinnedField], version(row), showsVersion) : null },
    };
  };
}

/** The aliases `relationById` joins each end under: user, content, space, the viewer's membership, shown version and its author. */
const BY_ID = {
  source: { u: 'su', c: 'sc', s: 'ss', m: 'ssm', v: 'sv', vu: 'svu' },
  target: { u: 'tu', c: 'tc', s: 'ts', m: 'tsm', v: 'tv', vu: 'tvu' },
} as const;

/**
 * One relation by id with everything deciding whether the viewer may see it and showing it: both ends (the
 * user, or the content and space, with the viewer's membership level there, the version shown and its author)
 * and the relation's creator. Through the typed end columns, so each join takes the end of its own type.
 */
export function relationById(id: number, viewerId: number): Prisma.Sql {
  const ends = (['source', 'target'] as const).map((end) => {
    const { u, c, s, m, v, vu } = BY_ID[end];
    // Each a lateral lookup by primary key (LIMIT 1 keeps it one): a plain join let the generic plan merge-join
    // the content table in key order, which was cheap only while few relations started from content.
    return Prisma.sql`${Prisma.raw(`
      LEFT JOIN LATERAL (SELECT * FROM users WHERE id = r.${end}_user_id LIMIT 1) ${u} ON true
      LEFT JOIN LATERAL (SELECT * FROM content WHERE id = r.${end}_content_id LIMIT 1) ${c} ON true
      LEFT JOIN LATERAL (SELECT * FROM spaces WHERE id = COALESCE(r.${end}_space_id, ${c}.space_id) LIMIT 1) ${s} ON true`)}
      LEFT JOIN space_members ${Prisma.raw(m)} ON ${Prisma.raw(`${m}.space_id = ${s}.id AND ${m}.user_id`)} = ${viewerId}
      ${Prisma.raw(`LEFT JOIN content_versions ${v} ON ${v}.content_id = ${c}.id
        AND ${v}.number = CASE WHEN r.${end}_version > 0 THEN r.${end}_version ELSE ${c}.version END
      LEFT JOIN users ${vu} ON ${vu}.id = ${v}.by_id`)}`;
  });
  const columns = (['source', 'target'] as const).map((end) => {
    const { u, c, s, m, v, vu } = BY_ID[end];
    return Prisma.sql`${columnsOf('users', u)}, ${columnsOf('content', c)}, ${columnsOf('spaces', s)}, ${Prisma.raw(`${m}.level AS "${m}.level"`)},
      ${columnsOf('content_versions', v)}, ${columnsOf('users', vu)}`;
  });
  return Prisma.sql`SELECT ${PAGE_COLUMNS}, ${columnsOf('users', 'cu')}, ${Prisma.join(columns)}
    FROM relations r LEFT JOIN users cu ON cu.id = r.created_by_id ${Prisma.join(ends, ' ')}
    WHERE r.id = ${id}`;
}

/** What a `relationById` row holds besides the relation. */
export interface ByIdEnds {
  users: User[];
  contents: Content[];
  /** Each end's space with the viewer's membership level in it. */
  spaces: { space: Space; level: Level | null }[];
  /** The versions the ends show, under their loader keys. */
  versions: { key: string; row: ContentVersion | null }[];
}

/** Reads a `relationById` row. */
export function readRelationById(columns: readonly string[], row: unknown[]): { relation: RelationRow; ends: ByIdEnds } {
  const relation = relationReader(columns)(row);
  const ends: ByIdEnds = { users: [], contents: [], spaces: [], versions: [] };
  const creator = rowReader(columns, 'users', 'cu')(row);
  if (creator) ends.users.push(creator);
  for (const end of ['source', 'target'] as const) {
    const { u, c, s, m, v, vu } = BY_ID[end];
    for (const alias of [u, vu]) {
      const user = rowReader(columns, 'users', alias)(row);
      if (user) ends.users.push(user);
    }
    const space = rowReader(columns, 'spaces', s)(row);
    if (space) ends.spaces.push({ space, level: (row[columns.indexOf(`${m}.level`)] as Level | null) ?? null });
    const content = rowReader(columns, 'content', c)(row);
    if (content) {
      ends.contents.push(content);
      ends.versions.push({ key: `${content.id}:${relation[`${end}Version`] || content.version}`, row: rowReader(columns, 'content_versions', v)(row) });
    }
  }
  return { relation, ends };
}
