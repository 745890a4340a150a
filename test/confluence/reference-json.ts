// The Confluence relation answers as the gateway built them before they were written as text: object
// graphs, then JSON.stringify. Users, spaces and content come from the live object serializers (other
// routes still answer with them); the relation, its paths and the page envelope, which no longer exist as
// objects in src, are a frozen copy. The text path must match this byte for byte (serialize-text.test.ts).
// Change it only together with the wire shape.
import type { Ctx } from '../../src/context.js';
import type { Content, Space, User } from '../../src/generated/prisma/client.js';
import { friendlyDate } from '../../src/domain/dates.js';
import type { RelationRow } from '../../src/services/relations.js';
import type { Links } from '../../src/rest/confluence/links.js';
import type { RelationExpand } from '../../src/rest/confluence/serialize-relation.js';
import { contentJson, contentSelfPath, spaceJson, userJson, type LoadedContentView } from '../../src/rest/confluence/serialize.js';
import { contentViews, loadMap } from '../../src/rest/confluence/views.js';

const API = '/rest/api';
const absolute = (links: Links, path: string) => links.base + path;

export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  const text = query.toString();
  if (!text) return path;
  return path + (path.includes('?') ? '&' : '?') + text;
}

interface Loaded {
  users: Map<number, User>;
  spaces: Map<number, Space>;
  contents: Map<number, Content>;
  views: Map<string, LoadedContentView>;
}

type End = 'source' | 'target';
const endOf = (row: RelationRow, end: End) =>
  end === 'source' ? { type: row.sourceType, id: row.sourceId, version: row.sourceVersion } : { type: row.targetType, id: row.targetId, version: row.targetVersion };

function endKey(row: RelationRow, end: End, loaded: Loaded): { type: string; key: string; status?: string; version?: number } | null {
  const { type, id, version } = endOf(row, end);
  if (type === 'USER') {
    const user = loaded.users.get(id);
    return user ? { type: 'user', key: user.accountId } : null;
  }
  if (type === 'SPACE') {
    const space = loaded.spaces.get(id);
    return space ? { type: 'space', key: space.key } : null;
  }
  const content = loaded.contents.get(id);
  if (!content) return null;
  if (version) return { type: 'content', key: String(id), status: 'historical', version };
  return { type: 'content', key: String(id), status: content.status === 'current' ? undefined : content.status };
}

const seg = encodeURIComponent;
const relationPath = (name: string, source: { type: string; key: string }, target: { type: string; key: string }) =>
  `${API}/relation/${seg(name)}/from/${source.type}/${seg(source.key)}/to/${target.type}/${seg(target.key)}`;

function endPath(row: RelationRow, end: End, loaded: Loaded): string {
  const { type, id, version } = endOf(row, end);
  if (type === 'USER') return `${API}/user?accountId=${seg(loaded.users.get(id)!.accountId)}`;
  if (type === 'SPACE') return `${API}/space/${seg(loaded.spaces.get(id)!.key)}`;
  return contentSelfPath(loaded.contents.get(id)!, version || undefined);
}

function endJson(row: RelationRow, end: End, loaded: Loaded, links: Links) {
  const { type, id, version } = endOf(row, end);
  if (type === 'USER') return userJson(loaded.users.get(id)!, links);
  if (type === 'SPACE') return spaceJson(loaded.spaces.get(id)!, links);
  return contentJson(loaded.views.get(`${id}:${version}`)!, links);
}

async function load(ctx: Ctx, rows: RelationRow[], expand: RelationExpand): Promise<Loaded> {
  const ids = (type: string, extra: number[] = []) => [
    ...rows.flatMap((r) => [r.sourceType === type ? r.sourceId : null, r.targetType === type ? r.targetId : null]).filter((id): id is number => id !== null),
    ...extra,
  ];
  const creators = expand.relationData ? rows.map((r) => r.createdById).filter((id): id is number => id !== null) : [];
  const [users, spaces, contents] = await Promise.all([
    loadMap(ctx.loaders.users, ids('USER', creators)),
    loadMap(ctx.loaders.spaces, ids('SPACE')),
    loadMap(ctx.loaders.contents, ids('CONTENT')),
  ]);
  const wanted = new Map<string, { content: Content; pinnedVersion: number; withSpace: boolean }>();
  for (const row of rows) {
    for (const end of ['source', 'target'] as const) {
      const { type, id, version } = endOf(row, end);
      const content = contents.get(id);
      if (type !== 'CONTENT' || !expand[end] || !content) continue;
      const withSpace = expand[`${end}Space`];
      const key = `${id}:${version}`;
      wanted.set(key, { content, pinnedVersion: version, withSpace: withSpace || (wanted.get(key)?.withSpace ?? false) });
    }
  }
  const entries = [...wanted.entries()];
  const plain = entries.filter(([, i]) => !i.withSpace);
  const spaced = entries.filter(([, i]) => i.withSpace);
  const [plainViews, spacedViews] = await Promise.all([
    contentViews(
      ctx,
      plain.map(([, i]) => i),
      false,
    ),
    contentViews(
      ctx,
      spaced.map(([, i]) => i),
      true,
    ),
  ]);
  const views = new Map<string, LoadedContentView>([
    ...plain.map(([key], n) => [key, plainViews[n]] as const),
    ...spaced.map(([key], n) => [key, spacedViews[n]] as const),
  ]);
  return { users, spaces, contents, views };
}

function relationJson(row: RelationRow, loaded: Loaded, links: Links, expand: RelationExpand) {
  const source = endKey(row, 'source', loaded)!;
  const target = endKey(row, 'target', loaded)!;
  const selectors = { sourceStatus: source.status, sourceVersion: source.version, targetStatus: target.status, targetVersion: target.version };
  const path = withQuery(relationPath(row.name, source, target), selectors);
  const expandable: Record<string, string> = {};
  const json: Record<string, unknown> = { name: row.name };
  if (expand.relationData) {
    const creator = row.createdById === null ? undefined : loaded.users.get(row.createdById);
    json.relationData = {
      ...(creator ? { createdBy: userJson(creator, links) } : {}),
      createdDate: row.createdAt.toISOString(),
      friendlyCreatedDate: friendlyDate(row.createdAt),
    };
  } else expandable.relationData = withQuery(path, { expand: 'relationData' });
  for (const end of ['source', 'target'] as const) {
    if (expand[end]) json[end] = endJson(row, end, loaded, links);
    else expandable[end] = endPath(row, end, loaded);
  }
  json._expandable = expandable;
  json._links = { base: links.base, context: links.context, self: absolute(links, path) };
  return json;
}

export async function relationsJson(ctx: Ctx, links: Links, rows: RelationRow[], expand: RelationExpand) {
  const loaded = await load(ctx, rows, expand);
  return rows.filter((row) => endKey(row, 'source', loaded) && endKey(row, 'target', loaded)).map((row) => relationJson(row, loaded, links, expand));
}

/** The list envelope around `results`, for a request to `url` (absolute, with its query). */
export function pageJson(url: string, links: Links, page: { start: number; limit: number }, results: unknown[], hasMore: boolean, nextCursor?: string) {
  const parsed = new URL(url);
  const pathname = parsed.pathname.slice(links.context.length);
  const path = pathname.startsWith(API) ? pathname : API + pathname;
  const self = path + parsed.search;
  const move = (start: number, cursor?: string) => {
    const next = new URLSearchParams(parsed.searchParams);
    for (const key of ['start', 'limit', 'cursor']) next.delete(key);
    next.set('start', String(start));
    next.set('limit', String(page.limit));
    if (cursor) next.set('cursor', cursor);
    return `${path}?${next}`;
  };
  const extra: Record<string, string> = {};
  if (hasMore && page.limit > 0) extra.next = move(page.start + results.length, nextCursor);
  if (page.start > 0) extra.prev = move(Math.max(0, page.start - page.limit));
  return {
    results,
    start: page.start,
    limit: page.limit,
    size: results.length,
    _links: { base: links.base, context: links.context, self: absolute(links, self), ...extra },
  };
}
