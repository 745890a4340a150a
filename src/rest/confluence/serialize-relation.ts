// Relations in Confluence's wire shape (docs/confluence.md): name, the expanded parts, `_expandable`, `_links`,
// written as JSON text (serialize-text.ts says why).
import type { Ctx } from '../../context.js';
import type { Content, Space, User } from '../../generated/prisma/client.js';
import { friendlyDate } from '../../domain/dates.js';
import type { EntityType } from '../../domain/entities.js';
import type { RelationRow } from '../../services/relations.js';
import { API, withQuery, type Links } from './links.js';
import { contentSelfPath, type LoadedContentView } from './serialize.js';
import { str } from '../../http/json-text.js';
import { date, EntityText } from './serialize-text.js';
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
  const has = (name: string) => {
    for (const value of values) if (value === name || value.startsWith(`${name}.`)) return true;
    return false;
  };
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
  views: Map<string, LoadedContentView>;
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

function endText(row: RelationRow, end: End, loaded: Loaded, text: EntityText): string {
  const { type, id, version } = endOf(row, end);
  if (type === 'USER') return text.user(loaded.users.get(id)!);
  if (type === 'SPACE') return text.space(loaded.spaces.get(id)!);
  return text.content(loaded.views.get(`${id}:${version}`)!);
}

async function load(ctx: Ctx, rows: RelationRow[], expand: RelationExpand): Promise<Loaded> {
  const ids: Record<EntityType, number[]> = { USER: [], SPACE: [], CONTENT: [] };
  for (const row of rows) {
    ids[row.sourceType].push(row.sourceId);
    ids[row.targetType].push(row.targetId);
    if (expand.relationData && row.createdById !== null) ids.USER.push(row.createdById);
  }
  const [users, spaces, contents] = await Promise.all([
    loadMap(ctx.loaders.users, ids.USER),
    loadMap(ctx.loaders.spaces, ids.SPACE),
    loadMap(ctx.loaders.contents, ids.CONTENT),
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

function relationText(row: RelationRow, loaded: Loaded, text: EntityText, expand: RelationExpand): string {
  const source = endKey(row, 'source', loaded)!;
  const target = endKey(row, 'target', loaded)!;
  const selectors = { sourceStatus: source.status, sourceVersion: source.version, targetStatus: target.status, targetVersion: target.version };
  const path = withQuery(relationPath(row.name, source, target), selectors);
  let json = `{"name":${str(row.name)}`;
  const expandable: string[] = [];
  if (expand.relationData) {
    const creator = row.createdById === null ? undefined : loaded.users.get(row.createdById);
    const createdBy = creator ? `"createdBy":${text.user(creator)},` : '';
    json += `,"relationData":{${createdBy}"createdDate":${date(row.createdAt)},"friendlyCreatedDate":${str(friendlyDate(row.createdAt))}}`;
  } else expandable.push(`"relationData":${str(withQuery(path, { expand: 'relationData' }))}`);
  for (const end of ['source', 'target'] as const) {
    if (expand[end]) json += `,"${end}":${endText(row, end, loaded, text)}`;
    else expandable.push(`"${end}":${str(endPath(row, end, loaded))}`);
  }
  return `${json},"_expandable":{${expandable.join(',')}},${text.topLinks(path)}}`;
}

/** Relations with their expanded parts, each as JSON text, loading every end in a fixed number of batches. */
export async function relationsText(ctx: Ctx, links: Links, rows: RelationRow[], expand: RelationExpand): Promise<string[]> {
  const loaded = await load(ctx, rows, expand);
  const text = new EntityText(links);
  const texts: string[] = [];
  // A row whose end vanished between the query and the load is left out rather than shown broken.
  for (const row of rows) if (endKey(row, 'source', loaded) && endKey(row, 'target', loaded)) texts.push(relationText(row, loaded, text, expand));
  return texts;
}
