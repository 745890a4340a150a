// Relations of entities the caller already holds (nested fields: a user's, a space's, a content's relations),
// for many parents at once. A field at one position of a query asks the same question of each of its
// parents; the request's loader for that question collects the parents and answers all of them in one
// statement (traversal-sql.ts), so a query costs one statement per position, whatever the number of
// parents and the page size. The rules are the flat lists' (relations.ts): only relations whose other
// end the viewer may view, private names only for their owner.
import { Prisma } from '../generated/prisma/client.js';
import type { Ctx } from '../context.js';
import { questionLoader } from '../loaders.js';
import { contentSelector, type ContentSelector, type EntityType } from '../domain/entities.js';
import { isPrivateName, privateNames, validateRelationName } from '../domain/relation-rules.js';
import { pageOf, type Order, type Page } from './paging.js';
import { primeDistinctEnds } from './relations.js';
import { privacyAcrossNames, privacyConditions, where, type End, type RelationRow } from './relation-sql.js';
import { otherEndConditions, otherEndJoins, parentConditions, parents, readDistinctEnds, withDistinctEnds, type OtherType } from './traversal-sql.js';
import { readAs, readRowsAs } from './callers.js';

export type Direction = 'from' | 'to';

/** One nested relation field's question, asked of each parent: everything but the parent. */
export interface EntityRelationsQuery {
  /** `from`: the parent is the source; `to`: the target. */
  direction: Direction;
  anchorType: EntityType;
  /** Omitted: every name. */
  name?: string | null;
  /** Omitted: every type. */
  otherType?: EntityType | null;
  otherStatus?: string | null;
  otherVersion?: number | null;
  /** False when nothing shows a content end's latest version (withEnds); default true. */
  showsVersion?: boolean;
}

/** A validated question: what the statement is built from, and the key of its loader. */
interface Prepared {
  direction: Direction;
  anchorType: EntityType;
  name: string | null;
  otherType: OtherType;
  selector: ContentSelector;
  showsVersion: boolean;
}

const ends = (direction: Direction): { anchor: End; other: End } =>
  direction === 'from' ? { anchor: 'source', other: 'target' } : { anchor: 'target', other: 'source' };

/** Validates the arguments once, before any parent is loaded: bad input is an error of the field, not of each parent. */
export function prepareEntityRelations(query: EntityRelationsQuery): Prepared {
  const { other } = ends(query.direction);
  const name = query.name === null || query.name === undefined ? null : validateRelationName(query.name);
  // Status and version select a state of content only; for users and spaces they are ignored, as in the flat lists.
  const selector =
    query.otherType && query.otherType !== 'CONTENT'
      ? { status: 'current' as const, version: 0 }
      : contentSelector(query.otherStatus, query.otherVersion, `${other}Status`);
  return { direction: query.direction, anchorType: query.anchorType, name, otherType: query.otherType ?? null, selector, showsVersion: query.showsVersion ?? true };
}

function conditions(ctx: Ctx, q: Prepared): { joins: Prisma.Sql; where: Prisma.Sql[] } {
  const { anchor, other } = ends(q.direction);
  return {
    joins: otherEndJoins(other, q.otherType),
    where: [
      ...(q.name === null ? [] : [Prisma.sql`r.name = ${q.name}`]),
      ...parentConditions(anchor, q.anchorType, q.name !== null),
      ...otherEndConditions(other, q.otherType, ctx.viewer, q.selector),
      ...(q.name === null ? privacyAcrossNames(privateNames(), ctx.viewer) : privacyConditions(isPrivateName(q.name), ctx.viewer)),
    ],
  };
}

export interface PageRequest {
  limit: number;
  /** Keyset position: only relations after (ascending) or before (descending) this id. */
  after: number | null;
  order: Order;
}

/** One page of a parent's relations; the parents asking the same question in this tick share one statement. */
export function loadEntityRelations(ctx: Ctx, query: Prepared, page: PageRequest, parentId: number): Promise<Page<RelationRow>> {
  if (page.limit === 0) return Promise.resolve({ rows: [], hasMore: false });
  const key = JSON.stringify(['relations', query, page]);
  return questionLoader(ctx.loaders, key, (ids) => readPages(ctx, query, page, ids)).load(parentId);
}

async function readPages(ctx: Ctx, q: Prepared, page: PageRequest, ids: number[]): Promise<Page<RelationRow>[]> {
  const { anchor, other } = ends(q.direction);
  const { joins, where: conds } = conditions(ctx, q);
  const desc = page.order === 'desc';
  if (page.after !== null) conds.push(desc ? Prisma.sql`r.id < ${page.after}` : Prisma.sql`r.id > ${page.after}`);
  const pageIds = Prisma.sql`SELECT pg.id FROM ${parents(ids)} CROSS JOIN LATERAL (
      SELECT r.id FROM relations r ${joins} WHERE ${where(conds)} ORDER BY r.id ${Prisma.raw(desc ? 'DESC' : 'ASC')} LIMIT ${page.limit + 1}
    ) pg`;
  const joined = await readRowsAs(ctx, withDistinctEnds(pageIds, other, q.showsVersion));
  const read = readDistinctEnds(joined.rows, other, q.showsVersion);
  primeDistinctEnds(ctx, read);
  const byParent = new Map<number, RelationRow[]>(ids.map((id) => [id, []]));
  const anchorId = `${anchor}Id` as const;
  for (const relation of read.relations) byParent.get(relation[anchorId])?.push(relation);
  return ids.map((id) => {
    const rows = byParent.get(id) ?? [];
    // The relations come in ascending id order; a descending page is that order reversed.
    if (desc) rows.reverse();
    return pageOf(rows, page.limit);
  });
}

/** How many relations a parent has that its pages walk through, for all parents asking in this tick in one statement. */
export function countEntityRelations(ctx: Ctx, query: Prepared, parentId: number): Promise<number> {
  return questionLoader(ctx.loaders, JSON.stringify(['relation count', query]), (ids) => readCounts(ctx, query, ids)).load(parentId);
}

async function readCounts(ctx: Ctx, q: Prepared, ids: number[]): Promise<number[]> {
  const { joins, where: conds } = conditions(ctx, q);
  const rows = await readAs<{ id: number; count: number }>(
    ctx,
    Prisma.sql`SELECT a.id, (SELECT count(*)::int FROM relations r ${joins} WHERE ${where(conds)}) AS count FROM ${parents(ids)}`,
  );
  const counts = new Map(rows.map((row) => [row.id, row.count]));
  return ids.map((id) => counts.get(id) ?? 0);
}

export interface RelationNameCount {
  name: string;
  direction: Direction;
  otherType: EntityType;
  count: number;
}

/**
 * The names of a parent's relations with the number of each per direction and other type: what the lists
 * with those arguments (and the default `current` state) would count. Both directions when none is given.
 */
export function loadRelationNames(ctx: Ctx, anchorType: EntityType, direction: Direction | null, parentId: number): Promise<RelationNameCount[]> {
  const key = JSON.stringify(['relation names', anchorType, direction]);
  return questionLoader(ctx.loaders, key, (ids) => readNames(ctx, anchorType, direction, ids)).load(parentId);
}

async function readNames(ctx: Ctx, anchorType: EntityType, direction: Direction | null, ids: number[]): Promise<RelationNameCount[][]> {
  const directions: Direction[] = direction ? [direction] : ['from', 'to'];
  const parts = directions.map((d) => {
    const q: Prepared = { direction: d, anchorType, name: null, otherType: null, selector: { status: 'current', version: 0 }, showsVersion: false };
    const { joins, where: conds } = conditions(ctx, q);
    const otherType = Prisma.raw(`r.${ends(d).other}_type`);
    return Prisma.sql`SELECT r.name, ${d}::text AS direction, ${otherType}::text AS "otherType", count(*)::int AS count, min(r.id) AS first
      FROM relations r ${joins} WHERE ${where(conds)} GROUP BY r.name, ${otherType}`;
  });
  const rows = await readAs<RelationNameCount & { id: number }>(
    ctx,
    Prisma.sql`SELECT a.id, n.name, n.direction, n."otherType", n.count FROM ${parents(ids)}
      CROSS JOIN LATERAL (${Prisma.join(parts, ' UNION ALL ')}) n ORDER BY a.id, n.first, n.direction`,
  );
  const byParent = new Map<number, RelationNameCount[]>(ids.map((id) => [id, []]));
  for (const { id, ...entry } of rows) byParent.get(id)?.push(entry);
  return ids.map((id) => byParent.get(id) ?? []);
}
