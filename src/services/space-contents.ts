// A space's content as GraphQL's Space.contents lists it, batched: every space at one position of a query is
// read in one statement (per-space keyset pages side by side, unnest + LATERAL), and its count in one more.
// The batches are DataLoaders of the request, one per distinct set of arguments, made when first needed.
import { questionLoader } from '../loaders.js';
import type { Ctx } from '../context.js';
import { Prisma, type Content } from '../generated/prisma/client.js';
import { parseContentStatus, parseContentType, type ContentStatus, type ContentType } from '../domain/entities.js';
import { pageOf, type KeysetPage, type Page } from './paging.js';
import { where } from './relation-sql.js';
import { rowReader, columnsOf } from './row-columns.js';
import { spaceViewable } from './space-access.js';
import { readAs, readRowsAs } from './callers.js';

/** Which content a space lists: one type or every type, one status or (`any`) every status. */
export interface ContentFilter {
  type: ContentType | null;
  status: ContentStatus | 'any';
}

/** The filter from the field's arguments: status defaults to `current`, `any` is every status; an unknown type or status names its argument. */
export function contentFilter(type: string | null | undefined, status: string | null | undefined): ContentFilter {
  const selected = status ?? 'current';
  return {
    type: type === null || type === undefined ? null : parseContentType(type, 'type'),
    status: selected === 'any' ? 'any' : parseContentStatus(selected, 'status'),
  };
}

function filterConditions({ type, status }: ContentFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (type !== null) conditions.push(Prisma.sql`c.type = ${type}`);
  if (status !== 'any') conditions.push(Prisma.sql`c.status = ${status}`);
  return conditions;
}

/**
 * The spaces of a batch the viewer may view, in the batch's order. The parents were viewable when they were
 * read, but the rule is applied here too: a nested page never holds what the caller may not view.
 */
function viewableParents(ctx: Ctx, spaceIds: readonly number[]): Prisma.Sql {
  const conditions = spaceViewable('s', ctx.viewer);
  return Prisma.sql`unnest(${[...spaceIds]}::int[]) WITH ORDINALITY a(id, ord) JOIN spaces s ON s.id = a.id ${conditions.length ? Prisma.sql`AND ${where(conditions)}` : Prisma.empty}`;
}

async function readPages(ctx: Ctx, spaceIds: readonly number[], filter: ContentFilter, { limit, after }: KeysetPage): Promise<Page<Content>[]> {
  const byParent = new Map<number, Content[]>(spaceIds.map((id) => [id, []]));
  if (limit > 0) {
    const conditions = [Prisma.sql`c.space_id = a.id`, Prisma.sql`c.id > ${after ?? 0}`, ...filterConditions(filter)];
    // Each row brings its latest version too, so showing `version` costs nothing more.
    const { columns, rows } = await readRowsAs(
      ctx,
      Prisma.sql`SELECT a.id AS parent, ${columnsOf('content', 'c')}, ${columnsOf('content_versions', 'v')}
        FROM ${viewableParents(ctx, spaceIds)}
        CROSS JOIN LATERAL (SELECT c.* FROM content c WHERE ${where(conditions)} ORDER BY c.id LIMIT ${limit + 1}) c
        LEFT JOIN content_versions v ON v.content_id = c.id AND v.number = c.version
        ORDER BY a.ord, c.id`,
    );
    const parent = columns.indexOf('parent');
    const content = rowReader(columns, 'content', 'c');
    const version = rowReader(columns, 'content_versions', 'v');
    for (const row of rows) {
      const c = content(row) as Content;
      ctx.loaders.contents.prime(c.id, c);
      ctx.loaders.contentVersions.prime(`${c.id}:${c.version}`, version(row));
      byParent.get(row[parent] as number)?.push(c);
    }
  }
  return spaceIds.map((id) => pageOf(byParent.get(id) ?? [], limit));
}

async function readCounts(ctx: Ctx, spaceIds: readonly number[], filter: ContentFilter): Promise<number[]> {
  const conditions = [Prisma.sql`c.space_id = a.id`, ...filterConditions(filter)];
  const rows = await readAs<{ parent: number; count: number }>(
    ctx,
    Prisma.sql`SELECT a.id AS parent, (SELECT count(*)::int FROM content c WHERE ${where(conditions)}) AS count FROM ${viewableParents(ctx, spaceIds)}`,
  );
  const counts = new Map(rows.map((row) => [row.parent, row.count]));
  return spaceIds.map((id) => counts.get(id) ?? 0);
}

/** One page of a space's content in id order, read together with every other space asking the same in this request. */
export function spaceContentsPage(ctx: Ctx, spaceId: number, filter: ContentFilter, page: KeysetPage): Promise<Page<Content>> {
  const key = JSON.stringify(['space contents', filter.type, filter.status, page.limit, page.after]);
  return questionLoader(ctx.loaders, key, (ids) => readPages(ctx, ids, filter, page)).load(spaceId);
}

/** How many rows `spaceContentsPage` walks through in all, counted together with the other spaces asking the same. */
export function countSpaceContents(ctx: Ctx, spaceId: number, filter: ContentFilter): Promise<number> {
  const key = JSON.stringify(['space content count', filter.type, filter.status]);
  return questionLoader(ctx.loaders, key, (ids) => readCounts(ctx, ids, filter)).load(spaceId);
}
