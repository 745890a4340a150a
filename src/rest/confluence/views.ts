// Loads what a shown content needs (its version row, author, space) through the request's
// loaders, one batch per kind, so a page of 200 costs the same statements as a page of 1.
import type { Ctx } from '../../context.js';
import type { Content, ContentVersion, Space, User } from '../../generated/prisma/client.js';
import type { LoadedContentView } from './serialize.js';

export interface ContentItem {
  content: Content;
  /** 0 = the latest version. */
  pinnedVersion: number;
}

const present = <T>(value: T | Error | null | undefined): value is T => value !== null && value !== undefined && !(value instanceof Error);

export async function contentViews(ctx: Ctx, items: ContentItem[], withSpace: boolean): Promise<LoadedContentView[]> {
  const versionKey = (item: ContentItem) => `${item.content.id}:${item.pinnedVersion || item.content.version}`;
  // What a page statement primed comes at once (Loader.getMany): no promise per row.
  const [versions, spaces] = await Promise.all([
    ctx.loaders.contentVersions.getMany(items.map(versionKey)),
    withSpace ? ctx.loaders.spaces.getMany(items.map((i) => i.content.spaceId)) : [],
  ]);
  const versionOf = new Map<string, ContentVersion>();
  versions.forEach((v, i) => present(v) && versionOf.set(versionKey(items[i]), v));
  const spaceOf = new Map<number, Space>();
  spaces.forEach((s) => present(s) && spaceOf.set(s.id, s));
  const authorIds = [...new Set([...versionOf.values()].map((v) => v.byId).filter((id): id is number => id !== null))];
  const authors = new Map<number, User>();
  (await ctx.loaders.users.getMany(authorIds)).forEach((u) => present(u) && authors.set(u.id, u));
  return items.map((item) => {
    const version = versionOf.get(versionKey(item)) ?? null;
    return {
      content: item.content,
      version,
      pinned: item.pinnedVersion > 0 ? version : null,
      by: version?.byId ? (authors.get(version.byId) ?? null) : null,
      ...(withSpace ? { space: spaceOf.get(item.content.spaceId) ?? null } : {}),
    };
  });
}

export async function contentView(ctx: Ctx, content: Content, pinnedVersion = 0, withSpace = true): Promise<LoadedContentView> {
  const [view] = await contentViews(ctx, [{ content, pinnedVersion }], withSpace);
  return view;
}

/** Loads rows by id through a loader, dropping the missing ones. */
export async function loadMap<T extends { id: number }>(
  loader: { getMany(ids: readonly number[]): (T | null | Error)[] | Promise<(T | null | Error)[]> },
  ids: number[],
): Promise<Map<number, T>> {
  const map = new Map<number, T>();
  if (ids.length === 0) return map;
  for (const row of await loader.getMany([...new Set(ids)])) if (present(row)) map.set(row.id, row);
  return map;
}
