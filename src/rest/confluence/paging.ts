// Confluence paging on the wire: `start`/`limit` (and the `cursor` of `next` links) in,
// `results/start/limit/size/_links{next,prev}` out. Sizes, caps and the cursor are services/paging.ts's.
import type { Context } from 'hono';
import { MAX_PAGE_SIZE, pageArgs, pageSize, type PageArgs, type PageFieldNames } from '../../services/paging.js';
import { API, topLinks, type Links } from './links.js';
import { integerParam, query } from './params.js';

/** The page as the request asked for it, echoed back: `start`, and `limit` already capped. */
export interface RequestedPage {
  start: number;
  limit: number;
}

const FIELDS: PageFieldNames = { size: 'limit', cursor: 'cursor', offset: 'start' };

export function pageParams(c: Context): RequestedPage {
  return { start: integerParam(c, 'start') ?? 0, limit: pageSize(integerParam(c, 'limit', { cap: MAX_PAGE_SIZE }), FIELDS.size) };
}

/** Where a relation list's page begins: after the `cursor` of a `next` link, else at `start`. */
export function keysetParams(c: Context, page: RequestedPage): PageArgs {
  return pageArgs({ size: page.limit, offset: page.start, cursor: query(c, 'cursor') }, FIELDS);
}

/** The request's path after the context and `/rest/api`, with its query string. */
function requestPath(c: Context, links: Links): { path: string; search: string; params: URLSearchParams } {
  const url = new URL(c.req.url);
  const path = url.pathname.slice(links.context.length);
  return { path: path.startsWith(API) ? path : API + path, search: url.search, params: url.searchParams };
}

/** A page's `_links`: `self` (absolute) and `next`/`prev` (relative, keeping every other parameter). */
function pageLinks(c: Context, links: Links, page: RequestedPage, size: number, hasMore: boolean, nextCursor?: string) {
  const { path, search, params } = requestPath(c, links);
  const self = path + search;
  const move = (start: number, cursor?: string) => {
    const next = new URLSearchParams(params);
    for (const key of ['start', 'limit', 'cursor']) next.delete(key);
    next.set('start', String(start));
    next.set('limit', String(page.limit));
    if (cursor) next.set('cursor', cursor);
    return `${path}?${next}`;
  };
  const extra: Record<string, string> = {};
  if (hasMore && page.limit > 0) extra.next = move(page.start + size, nextCursor);
  if (page.start > 0) extra.prev = move(Math.max(0, page.start - page.limit));
  return topLinks(links, self, extra);
}

/** A page of results. */
export function pageEnvelope<T>(c: Context, links: Links, page: RequestedPage, results: T[], hasMore: boolean, nextCursor?: string) {
  return { results, start: page.start, limit: page.limit, size: results.length, _links: pageLinks(c, links, page, results.length, hasMore, nextCursor) };
}

/** `pageEnvelope` as JSON text, for results that are already JSON text. */
export function pageText(c: Context, links: Links, page: RequestedPage, results: string[], hasMore: boolean, nextCursor?: string): string {
  const _links = pageLinks(c, links, page, results.length, hasMore, nextCursor);
  return `{"results":[${results.join(',')}],"start":${page.start},"limit":${page.limit},"size":${results.length},"_links":${JSON.stringify(_links)}}`;
}
