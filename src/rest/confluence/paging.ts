// Confluence paging: `start`/`limit` in, `results/start/limit/size/_links{next,prev}` out.
import type { Context } from 'hono';
import { ValidationError } from '../../domain/errors.js';
import { DEFAULT_PAGE, MAX_PAGE } from '../../services/relations.js';
import { API, topLinks, type Links } from './links.js';
import { integerParam, query } from './params.js';

export interface Page {
  start: number;
  /** Already capped at MAX_PAGE: the value echoed back. */
  limit: number;
}

export function pageParams(c: Context): Page {
  return { start: integerParam(c, 'start') ?? 0, limit: integerParam(c, 'limit', { cap: MAX_PAGE }) ?? DEFAULT_PAGE };
}

// The cursor is opaque to clients; it carries the id of the last relation on the previous page.
export function encodeCursor(lastId: number): string {
  return Buffer.from(`r${lastId}`).toString('base64url');
}

export function cursorParam(c: Context): number | undefined {
  const raw = query(c, 'cursor');
  if (raw === undefined) return undefined;
  const match = /^r([1-9]\d{0,9})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  if (!match || Number(match[1]) > 2_147_483_647) throw new ValidationError(`cursor '${raw}' is not valid`, 'cursor');
  return Number(match[1]);
}

/** The request's path after the context and `/rest/api`, with its query string. */
function requestPath(c: Context, links: Links): { path: string; search: string; params: URLSearchParams } {
  const url = new URL(c.req.url);
  const path = url.pathname.slice(links.context.length);
  return { path: path.startsWith(API) ? path : API + path, search: url.search, params: url.searchParams };
}

/** A page's `_links`: `self` (absolute) and `next`/`prev` (relative, keeping every other parameter). */
function pageLinks(c: Context, links: Links, page: Page, size: number, hasMore: boolean, nextCursor?: string) {
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
export function pageEnvelope<T>(c: Context, links: Links, page: Page, results: T[], hasMore: boolean, nextCursor?: string) {
  return { results, start: page.start, limit: page.limit, size: results.length, _links: pageLinks(c, links, page, results.length, hasMore, nextCursor) };
}

/** `pageEnvelope` as JSON text, for results that are already JSON text. */
export function pageText(c: Context, links: Links, page: Page, results: string[], hasMore: boolean, nextCursor?: string): string {
  const _links = pageLinks(c, links, page, results.length, hasMore, nextCursor);
  return `{"results":[${results.join(',')}],"start":${page.start},"limit":${page.limit},"size":${results.length},"_links":${JSON.stringify(_links)}}`;
}
