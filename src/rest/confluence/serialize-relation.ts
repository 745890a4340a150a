// Relations in the wire shape of seed 001: name, the expanded parts, `_expandable`, `_links`.
import type { Ctx } from '../../context.js';
import type { Content, Space, User } from '../../generated/prisma/client.js';
import { friendlyDate } from '../../domain/dates.js';
import type { RelationRow } from '../../services/relations.js';
import { absolute, API, withQuery, type Links } from './links.js';
import { contentJson, spaceJson, userJson, contentSelfPath, type ContentView } from './serialize.js';
import { contentViews, loadMap } from './views.js';

export interface RelationExpand {
  relationData: boolean;
  source: boolean;
  target: boolean;
  sourceSpace: boolean;
  targetSpace: boolean;
}

/** Reads `expand`; dot paths imply their parent, unknown names are ignored as Confluence does. */
export function relationExpand(values: Set<string>): RelationExpand {
  const has = (name: string) => [...values].some((v) => v === name || v.startsWith(`${name}.`));
  return {
    relationData: has('relationData'),
    source: has('source'),
    target: has('target'),
    sourceSpace: values.has('source.space'),
    targetSpace: values.has('target.space'),
  };
}

interface Loaded {
  users: Map<number, User>;
  spaces: Map<number, Space>;
  contents: Map<number, Content>;
  views: Map<string, ContentView>;
}

type End = 'source' | 'target';
const endOf = (row: RelationRow, end: End) =>
  end === 'source' ? { type: row.sourceType, id: row.sourceId, version: row.sourceVersion } : { type: row.targetType, id: row.targetId, version: row.targetVersion };

/** The key that names an end in a path, and the status/version parameters that select it. */
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

export function relationPath(name: string, source: { type: string; key: string }, target: { type: string; key: string }): string {
  return `${API}/relation/${seg(name)}/from/${source.type}/${seg(source.key)}/to/${target.type}/${seg(target.key)}`;
}

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
    contentViews(ctx, plain.map(([, i]) => i), false),
    contentViews(ctx, spaced.map(([, i]) => i), true),
  ]);
  const views = new Map<string, ContentView>([
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

/** Serializes relations with their expanded parts, loading every end in a fixed number of batches. */
export async function relationsJson(ctx: Ctx, links: Links, rows: RelationRow[], expand: RelationExpand) {
  const loaded = await load(ctx, rows, expand);
  // A row whose end vanished between the query and the load is left out rather than shown broken.
  return rows.filter((row) => endKey(row, 'source', loaded) && endKey(row, 'target', loaded)).map((row) => relationJson(row, loaded, links, expand));
}
