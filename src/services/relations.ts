// The relation operations every face calls: read, list, create, delete.
import { asActor } from '../events/actor.js';
import type { Ctx } from '../context.js';
import { Prisma, type Space } from '../generated/prisma/client.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { contentSelector, type ContentSelector, type EntityRef, type EntityType } from '../domain/entities.js';
import { isPrivateName, privateNames, ruleFor, validateComment, validateNewRelationName, validateRelationName, validateRelationTypes } from '../domain/relation-rules.js';
import { governingSpace, pinnedVersion, resolveEntity, type ResolvedEntity } from './resolve.js';
import { askedVersion, prefetchEntities, resolveWithRead } from './prefetch.js';
import { viewerHas } from './space-access.js';
import { isForeignKeyViolation, retryingDeadlocks, violatedForeignKey } from '../db/errors.js';
import type { DistinctEnds } from './traversal-sql.js';
import { listSize, pageOf, pageOffset, pageSize, type Order, type Page } from './paging.js';
import {
  type EndValues,
  identityConditions,
  anchorConditionsAt,
  endConditions,
  endJoins,
  privacyAcrossNames,
  privacyConditions,
  PAGE_COLUMNS,
  endsReader,
  type FixableField,
  type FixedFields,
  readRelationById,
  relationById,
  relationReader,
  upsertStatement,
  type ExistingRow,
  where,
  withEnds,
  type End,
  type RelationRow,
  type RowEnds,
} from './relation-sql.js';
import { readAs, readRowsAs, writeAs } from './callers.js';

export type { RelationRow } from './relation-sql.js';

interface RelationKey {
  name: string;
  source: EntityRef;
  target: EntityRef;
}

async function resolveEnds(ctx: Ctx, input: RelationKey, validateName = validateRelationName) {
  const name = validateName(input.name);
  await prefetchEntities(ctx, [input.source, input.target]);
  // Resolve in order so the error names the first missing end, as Confluence does.
  const source = await resolveEntity(ctx, input.source, 'source');
  const target = await resolveEntity(ctx, input.target, 'target');
  return { name, source, target };
}

/** The one end a list starts from, its rows read in one statement. */
async function resolveAnchor(ctx: Ctx, ref: EntityRef, end: End): Promise<ResolvedEntity> {
  await prefetchEntities(ctx, [ref]);
  return resolveEntity(ctx, ref, end);
}

/** A resolved end as the relation stores it: its type, id and pinned version (0 when not pinned). */
const endValues = (e: ResolvedEntity): EndValues => ({ type: e.type, id: e.id, version: pinnedVersion(e) });

/** Site admins, and the user a relation starts from, own it: only they create or delete it, and only they see a private one. */
function isOwner(ctx: Ctx, source: { type: EntityType; id: number }): boolean {
  return ctx.viewer.siteAdmin || (source.type === 'USER' && source.id === ctx.viewer.id);
}

/** The space whose permissions govern one end of a stored relation (none for users). */
async function spaceOfEnd(ctx: Ctx, type: EntityType, id: number): Promise<Space | null> {
  if (type === 'USER') return null;
  const spaceId = type === 'SPACE' ? id : (await ctx.loaders.contents.load(id))?.spaceId;
  return spaceId === undefined ? null : ctx.loaders.spaces.load(spaceId);
}

/**
 * The relation between two ends, or null when there is none the viewer may see. One statement: the ends'
 * lookup (prefetch.ts) joined to the relation with its other end, shown version and creator.
 */
export async function getRelation({ ctx, ...input }: { ctx: Ctx } & RelationKey): Promise<RelationRow | null> {
  const name = validateRelationName(input.name);
  const build = ([sourceId, targetId]: Prisma.Sql[]) => {
    const conditions = [
      Prisma.sql`r.name = ${name}`,
      ...anchorConditionsAt('source', input.source.type, sourceId, askedVersion(input.source)),
      ...anchorConditionsAt('target', input.target.type, targetId, askedVersion(input.target)),
    ];
    // A user source's row comes with the lookup (or is the token's user).
    const heldUser = input.source.type === 'USER' ? sourceId : undefined;
    return withEnds((columns) => Prisma.sql`SELECT ${columns} FROM relations r WHERE ${where(conditions)}`, 0, 'target', input.target.type, { heldUser });
  };
  // The source's shown version comes from the lookup; the target's, when there is a relation to show, from withEnds.
  const read = await resolveWithRead(ctx, [input.source, input.target], ['source', 'target'], 'id', build, [true, false]);
  const [source, target] = read.entities;
  if (isPrivateName(name) && !isOwner(ctx, source)) return null;
  if (read.rows.length === 0) return null;
  const { relation, ends } = endsReader(read.columns, 'target', target.type)(read.rows[0]);
  primeEnds(ctx, ends);
  return relation;
}

export async function createRelation({
  ctx,
  comment,
  ...input
}: { ctx: Ctx; comment?: string | null } & RelationKey): Promise<{ relation: RelationRow; created: boolean }> {
  const { name, source, target } = await resolveEnds(ctx, input, validateNewRelationName);
  validateRelationTypes(name, source.type, target.type);
  const note = validateComment(comment);
  if (source.type === 'USER' && !isOwner(ctx, source)) {
    throw new ForbiddenError('Only the user themself or a site admin may create a relation from that user');
  }
  const upsert = (existing: ExistingRow) =>
    retryingDeadlocks(async () => {
      const statement = upsertStatement(name, endValues(source), endValues(target), ctx.viewer.id, note, existing);
      return (await writeAs<RelationRow & { created: boolean }>(ctx, statement)).rows;
    });
  try {
    const rows = await upsert('read');
    // No row only when another request committed the relation after this statement's snapshot was taken:
    // the form that touches the existing row returns it whenever it exists.
    const [{ created, ...relation }] = rows.length > 0 ? rows : await upsert('touched');
    return { relation, created };
  } catch (error) {
    // An end purged between resolution and insert: the foreign key refuses the row, and its name says which end.
    if (isForeignKeyViolation(error)) {
      const end = /^relations_(source|target)_/.exec(violatedForeignKey(error) ?? '')?.[1];
      throw new NotFoundError('An end of the relation no longer exists', end);
    }
    throw error;
  }
}

async function assertMayDelete(ctx: Ctx, name: string, source: { type: EntityType; id: number }, targetSpace: Space | null): Promise<void> {
  if (source.type !== 'USER' || isOwner(ctx, source)) return;
  if (ruleFor(name)?.spaceAdminMayDelete && targetSpace && (await viewerHas(ctx, targetSpace, 'ADMIN'))) return;
  throw new ForbiddenError('Only the user themself or a site admin may delete a relation from that user');
}

/** Deletes the relation if it exists; `deleted` says whether there was one the viewer may see. */
export async function deleteRelation({ ctx, ...input }: { ctx: Ctx } & RelationKey): Promise<{ deleted: boolean }> {
  const { name, source, target } = await resolveEnds(ctx, input);
  await assertMayDelete(ctx, name, source, governingSpace(target));
  const { count } = await writeAs(
    ctx,
    Prisma.sql`DELETE FROM relations r WHERE ${asActor(ctx.viewer.id)} AND ${where(identityConditions(name, endValues(source), endValues(target)))}`,
  );
  // A space admin may delete a private relation they may not see: the answer must not tell whether it existed.
  const visible = !isPrivateName(name) || isOwner(ctx, source);
  return { deleted: visible && count > 0 };
}

export interface ListRelationsInput {
  ctx: Ctx;
  name: string;
  /** `from`: the anchor is the source and the listed ends are targets; `to`: the reverse. */
  direction: 'from' | 'to';
  anchor: EntityRef;
  otherType: EntityType;
  otherStatus?: string | null;
  otherVersion?: number | null;
  /** Keyset position (see paging.ts): only relations after it in the list's order. */
  after?: number | null;
  /** Default `asc`, oldest first. */
  order?: Order;
  /** Rows to skip after the cursor (the Confluence `start` without a cursor). */
  offset?: number;
  /** Capped at MAX_PAGE_SIZE. */
  limit: number;
  /**
   * False when nothing shows a content end's latest version, the anchor's or the listed ends' (a GraphQL
   * selection without `version`, a Confluence list that expands no content end): the page then leaves those
   * versions and their authors out. Default true.
   */
  showsVersion?: boolean;
  /** False when nothing shows those versions' authors (a GraphQL selection without `by`); default showsVersion. */
  showsVersionAuthor?: boolean;
}

interface PreparedList {
  anchorEnd: End;
  otherEnd: End;
  from: Prisma.Sql;
  /** The list's conditions, given the anchor's id as SQL. */
  conditions: (anchorId: Prisma.Sql) => Prisma.Sql[];
  /** What the conditions fix on every row, given the anchor's id: the name, the anchor end, the other end's type and version. */
  fixed: (anchorId: number) => FixedFields;
}

/** Checks the input (in the order it always has) and builds the list's SQL; the anchor resolves with the read itself. */
function prepareList(input: ListRelationsInput): PreparedList {
  const { ctx, direction, otherType, anchor } = input;
  const name = validateRelationName(input.name);
  const anchorEnd: End = direction === 'from' ? 'source' : 'target';
  const otherEnd: End = direction === 'from' ? 'target' : 'source';
  // Status and version select a state of content only; for users and spaces they are ignored.
  const selector: ContentSelector =
    otherType === 'CONTENT' ? contentSelector(input.otherStatus, input.otherVersion, `${otherEnd}Status`) : { status: 'current', version: 0 };
  const anchorVersion = askedVersion(anchor);
  return {
    anchorEnd,
    otherEnd,
    from: Prisma.sql`FROM relations r ${endJoins(otherEnd, otherType)}`,
    conditions: (anchorId) => [
      Prisma.sql`r.name = ${name}`,
      ...anchorConditionsAt(anchorEnd, anchor.type, anchorId, anchorVersion),
      ...endConditions(otherEnd, otherType, ctx.viewer, selector),
      ...privacyConditions(isPrivateName(name), ctx.viewer),
    ],
    // Each an equality in `conditions`: the name's, anchorConditionsAt's three, and endConditions' type and version.
    fixed: (anchorId) => ({
      name,
      [`${anchorEnd}Type`]: anchor.type,
      [`${anchorEnd}Id`]: anchorId,
      [`${anchorEnd}Version`]: anchorVersion,
      [`${otherEnd}Type`]: otherType,
      [`${otherEnd}Version`]: selector.version,
    }),
  };
}

/**
 * One page of relations from (or to) an anchor, in creation order, filtered to what the viewer may see.
 * One statement: the anchor's lookup joined to the page (prefetch.ts, resolveWithRead).
 */
export async function listRelations(input: ListRelationsInput): Promise<Page<RelationRow>> {
  const limit = pageSize(input.limit, 'limit');
  const offset = pageOffset(input.offset);
  const { anchorEnd, otherEnd, from, conditions, fixed } = prepareList(input);
  const desc = input.order === 'desc';
  if (limit === 0) {
    // Nothing to read, but a missing anchor is still an error.
    await resolveAnchor(input.ctx, input.anchor, anchorEnd);
    return { rows: [], hasMore: false };
  }
  const showsVersion = input.showsVersion ?? true;
  const build = ([anchorId]: Prisma.Sql[]) => {
    const all = conditions(anchorId);
    if (input.after) all.push(desc ? Prisma.sql`r.id < ${input.after}` : Prisma.sql`r.id > ${input.after}`);
    const page = (columns: Prisma.Sql) => Prisma.sql`SELECT ${columns} ${from} WHERE ${where(all)} ORDER BY r.id ${Prisma.raw(desc ? 'DESC' : 'ASC')} LIMIT ${limit + 1}`;
    // A user anchor's row is in the request's loaders: the token's user for `current`, else the lookup's.
    const heldUser = input.anchor.type === 'USER' ? anchorId : undefined;
    // The fields `fixed` gives, whatever the anchor's id turns out to be.
    const shown = { showsVersion, showsAuthor: input.showsVersionAuthor, heldUser, fixed: Object.keys(fixed(0)) as FixableField[] };
    return withEnds(page, offset, otherEnd, input.otherType, shown);
  };
  const joined = await resolveWithRead(input.ctx, [input.anchor], [anchorEnd], 'id', build, showsVersion);
  const read = endsReader(joined.columns, otherEnd, input.otherType, showsVersion);
  const known = fixed(joined.entities[0].id);
  const rows = joined.rows.map((row) => {
    const { relation, ends } = read(row, known);
    primeEnds(input.ctx, ends);
    return relation;
  });
  // withEnds returns the page's rows in ascending id order; a descending page is that order reversed.
  return pageOf(desc ? rows.reverse() : rows, limit);
}

/** Hands the rows the page statement joined to the request's loaders, so showing the page costs no more statements. */
export function primeEnds(ctx: Ctx, ends: RowEnds): void {
  for (const user of ends.users) ctx.loaders.users.prime(user.id, user);
  if (ends.space) ctx.loaders.spaces.prime(ends.space.id, ends.space);
  if (ends.content) ctx.loaders.contents.prime(ends.content.id, ends.content);
  if (ends.version) ctx.loaders.contentVersions.prime(ends.version.key, ends.version.row);
}

/** As primeEnds, for the ends a statement sent once each (traversal-sql.ts). */
export function primeDistinctEnds(ctx: Ctx, ends: Omit<DistinctEnds, 'relations'>): void {
  for (const user of ends.users) ctx.loaders.users.prime(user.id, user);
  for (const space of ends.spaces) ctx.loaders.spaces.prime(space.id, space);
  for (const content of ends.contents) ctx.loaders.contents.prime(content.id, content);
  for (const { key, row } of ends.versions) ctx.loaders.contentVersions.prime(key, row);
}

/** How many relations `listRelations` would walk through in all: one statement, the anchor's lookup with the count. */
export async function countRelations(input: Omit<ListRelationsInput, 'after' | 'offset' | 'limit'>): Promise<number> {
  const { anchorEnd, from, conditions } = prepareList({ ...input, limit: 0 });
  const read = await resolveWithRead(
    input.ctx,
    [input.anchor],
    [anchorEnd],
    'count',
    ([anchorId]) => Prisma.sql`SELECT count(*)::int AS count ${from} WHERE ${where(conditions(anchorId))}`,
    false, // a count shows no version
  );
  return read.rows[0][read.columns.indexOf('count')] as number;
}

/** Relations of one name whose ends have the given types, both ends visible (the Umbraco alias listing): a whole list, up to MAX_LIST_SIZE. */
export async function listRelationsByName({
  ctx,
  name,
  sourceType,
  targetType,
  limit,
}: {
  ctx: Ctx;
  name: string;
  sourceType: EntityType;
  targetType: EntityType;
  limit?: number;
}): Promise<RelationRow[]> {
  validateRelationName(name);
  const conditions = [
    Prisma.sql`r.name = ${name}`,
    ...endConditions('source', sourceType, ctx.viewer, 'any'),
    ...endConditions('target', targetType, ctx.viewer, 'any'),
    ...privacyConditions(isPrivateName(name), ctx.viewer),
  ];
  const { columns, rows } = await readRowsAs(
    ctx,
    Prisma.sql`SELECT ${PAGE_COLUMNS} FROM relations r ${endJoins('source', sourceType)} ${endJoins('target', targetType)}
      WHERE ${where(conditions)} ORDER BY r.id LIMIT ${listSize(limit)}`,
  );
  return rows.map(relationReader(columns));
}

/** Whether the viewer may see both ends of a relation (and, for a private name, owns it). */
async function mayView(ctx: Ctx, row: RelationRow): Promise<boolean> {
  if (isPrivateName(row.name) && !isOwner(ctx, { type: row.sourceType, id: row.sourceId })) return false;
  for (const [type, id] of [
    [row.sourceType, row.sourceId],
    [row.targetType, row.targetId],
  ] as const) {
    if (type === 'USER') continue;
    const space = await spaceOfEnd(ctx, type, id);
    if (!space || !(await viewerHas(ctx, space, 'VIEW'))) return false;
  }
  return true;
}

/**
 * A relation by its id, or null when it does not exist or the viewer may not see it. One statement reads it with
 * both ends and the viewer's membership in their spaces (relationById); mayView then decides from the primed loaders.
 */
export async function findRelationById({ ctx, id }: { ctx: Ctx; id: number }): Promise<RelationRow | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const { columns, rows } = await readRowsAs(ctx, relationById(id, ctx.viewer.id));
  if (rows.length === 0) return null;
  const { relation, ends } = readRelationById(columns, rows[0]);
  for (const user of ends.users) ctx.loaders.users.prime(user.id, user);
  for (const content of ends.contents) ctx.loaders.contents.prime(content.id, content);
  for (const { space, level } of ends.spaces) {
    ctx.loaders.spaces.prime(space.id, space);
    ctx.loaders.memberLevels.prime(space.id, level);
  }
  for (const version of ends.versions) ctx.loaders.contentVersions.prime(version.key, version.row);
  return (await mayView(ctx, relation)) ? relation : null;
}

/**
 * Deletes a relation by id, returning it; null when there is none the viewer may see, or `accept` (a face's
 * own restriction, say to content relations) refuses it. Two statements: the read (findRelationById), the delete.
 */
export async function deleteRelationById({ ctx, id, accept }: { ctx: Ctx; id: number; accept?: (row: RelationRow) => boolean }): Promise<RelationRow | null> {
  const row = await findRelationById({ ctx, id });
  if (!row || (accept && !accept(row))) return null;
  await assertMayDelete(ctx, row.name, { type: row.sourceType, id: row.sourceId }, await spaceOfEnd(ctx, row.targetType, row.targetId));
  const count = await ctx.prisma.$executeRaw(Prisma.sql`DELETE FROM relations WHERE id = ${id} AND ${asActor(ctx.viewer.id)}`);
  return count > 0 ? row : null;
}

/**
 * Relations of every name from (or to) an anchor, in creation order, filtered to what the viewer may
 * see; the other end in any state (the Umbraco parent/child listing): a whole list, up to MAX_LIST_SIZE.
 */
export async function listRelationsOfEntity({
  ctx,
  direction,
  anchor: ref,
  otherType,
  limit,
}: {
  ctx: Ctx;
  direction: 'from' | 'to';
  anchor: EntityRef;
  otherType: EntityType;
  limit?: number;
}): Promise<RelationRow[]> {
  const size = listSize(limit);
  const anchorEnd: End = direction === 'from' ? 'source' : 'target';
  const otherEnd: End = direction === 'from' ? 'target' : 'source';
  if (size === 0) {
    await resolveAnchor(ctx, ref, anchorEnd);
    return [];
  }
  // The typed foreign-key column is indexed on its own; the name-led indexes need a name.
  const typedColumn = Prisma.raw(`r.${anchorEnd}_${TYPED[ref.type]}_id`);
  const read = await resolveWithRead(
    ctx,
    [ref],
    [anchorEnd],
    'id',
    ([anchorId]) => {
      const conditions = [
        Prisma.sql`${typedColumn} = ${anchorId}`,
        ...anchorConditionsAt(anchorEnd, ref.type, anchorId, askedVersion(ref)),
        ...endConditions(otherEnd, otherType, ctx.viewer, 'any'),
        ...privacyAcrossNames(privateNames(), ctx.viewer),
      ];
      return Prisma.sql`SELECT ${PAGE_COLUMNS} FROM relations r ${endJoins(otherEnd, otherType)} WHERE ${where(conditions)} ORDER BY r.id LIMIT ${size}`;
    },
    false, // only the relations come back: nothing shows the anchor's version or its author
  );
  const relation = relationReader(read.columns);
  return read.rows.map(relation);
}

/** The typed column's word per entity type (never the caller's text in raw SQL). */
const TYPED: Record<EntityType, string> = { USER: 'user', SPACE: 'space', CONTENT: 'content' };

export interface RelationNameSummary {
  name: string;
  count: number;
  firstCreatedAt: Date;
  lastCreatedAt: Date;
}

/** The names of the relations the viewer may see between ends of two types (one name when `name` is given), in order of first use. */
export async function listRelationNames({
  ctx,
  sourceType,
  targetType,
  name,
}: {
  ctx: Ctx;
  sourceType: EntityType;
  targetType: EntityType;
  name?: string;
}): Promise<RelationNameSummary[]> {
  const conditions = [
    ...endConditions('source', sourceType, ctx.viewer, 'any'),
    ...endConditions('target', targetType, ctx.viewer, 'any'),
    ...privacyAcrossNames(privateNames(), ctx.viewer),
  ];
  if (name !== undefined) conditions.push(Prisma.sql`r.name = ${validateRelationName(name)}`);
  return readAs<RelationNameSummary>(
    ctx,
    Prisma.sql`SELECT r.name, count(*)::int AS count, min(r.created_at) AS "firstCreatedAt", max(r.created_at) AS "lastCreatedAt"
      FROM relations r ${endJoins('source', sourceType)} ${endJoins('target', targetType)}
      WHERE ${where(conditions)} GROUP BY r.name ORDER BY min(r.id) LIMIT 10000`,
  );
}
