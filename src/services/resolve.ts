// Turns an EntityRef into the entity it names, or a not-found that is the same whether the
// entity is missing or merely invisible to the viewer, so nothing leaks.
import type { Ctx } from '../context.js';
import type { Content, ContentVersion, Space, User } from '../generated/prisma/client.js';
import type { ContentView } from '../domain/content-view.js';
import { NotFoundError } from '../domain/errors.js';
import { contentSelector, impossibleKey, parseContentId, type ContentSelector, type EntityRef, type EntityType } from '../domain/entities.js';
import { viewerHas } from './space-access.js';

export type ResolvedEntity =
  | { type: 'USER'; id: number; user: User }
  | { type: 'SPACE'; id: number; space: Space }
  | { type: 'CONTENT'; id: number; content: Content; space: Space; selector: ContentSelector; pinned: ContentVersion | null };

/** The version a relation end is pinned to (0 = not pinned). */
export function pinnedVersion(entity: ResolvedEntity): number {
  return entity.type === 'CONTENT' ? entity.selector.version : 0;
}

export async function findUser(ctx: Ctx, key: string): Promise<User | null> {
  if (key === 'current') return ctx.loaders.users.load(ctx.viewer.id);
  if (impossibleKey(key)) return null;
  return ctx.loaders.usersByKey.load(key);
}

export async function resolveUser(ctx: Ctx, key: string, field?: string): Promise<User> {
  const user = await findUser(ctx, key);
  if (!user) throw new NotFoundError(`No user found with key '${key}'`, field);
  return user;
}

/** A space the viewer may view, or null. */
export async function findVisibleSpace(ctx: Ctx, key: string): Promise<Space | null> {
  if (impossibleKey(key)) return null;
  const space = await ctx.loaders.spacesByKey.load(key);
  if (!space || !(await viewerHas(ctx, space, 'VIEW'))) return null;
  return space;
}

export async function resolveSpace(ctx: Ctx, key: string, field?: string): Promise<Space> {
  const space = await findVisibleSpace(ctx, key);
  if (!space) throw new NotFoundError(`No space found with key '${key}'`, field);
  return space;
}

/** Content as asked for (its pinned version, if any), with the space that governs it. */
export interface VisibleContent extends ContentView {
  space: Space;
}

/** Content the viewer may view, matching the selector, or null. */
export async function findVisibleContent(ctx: Ctx, key: string, selector: ContentSelector): Promise<VisibleContent | null> {
  const id = parseContentId(key);
  if (id === null) return null;
  const content = await ctx.loaders.contents.load(id);
  if (!content) return null;
  const space = await ctx.loaders.spaces.load(content.spaceId);
  if (!space || !(await viewerHas(ctx, space, 'VIEW'))) return null;
  if (selector.status !== 'any' && selector.status !== 'historical' && content.status !== selector.status) return null;
  if (selector.version === 0) return { content, space, pinned: null };
  if (selector.version > content.version) return null;
  const pinned = await ctx.loaders.contentVersions.load(`${content.id}:${selector.version}`);
  return pinned ? { content, space, pinned } : null;
}

export async function resolveContent(ctx: Ctx, key: string, selector: ContentSelector = { status: 'current', version: 0 }, field?: string): Promise<VisibleContent> {
  const found = await findVisibleContent(ctx, key, selector);
  if (!found) {
    const what = selector.version ? `version ${selector.version}` : `status '${selector.status}'`;
    throw new NotFoundError(`No content found with id '${key}' and ${what}`, field);
  }
  return found;
}

/** Resolves one end of a relation (or a lookup) from its reference; `field` names it in errors, not-found included. */
export async function resolveEntity(ctx: Ctx, ref: EntityRef, field = 'entity'): Promise<ResolvedEntity> {
  switch (ref.type as EntityType) {
    case 'USER': {
      const user = await resolveUser(ctx, ref.key, field);
      return { type: 'USER', id: user.id, user };
    }
    case 'SPACE': {
      const space = await resolveSpace(ctx, ref.key, field);
      return { type: 'SPACE', id: space.id, space };
    }
    case 'CONTENT': {
      const selector = contentSelector(ref.status, ref.version, `${field}Status`);
      const found = await resolveContent(ctx, ref.key, selector, field);
      return { type: 'CONTENT', id: found.content.id, content: found.content, space: found.space, selector, pinned: found.pinned };
    }
  }
}

/** The space whose permissions govern an entity (none for users). */
export function governingSpace(entity: ResolvedEntity): Space | null {
  return entity.type === 'SPACE' ? entity.space : entity.type === 'CONTENT' ? entity.space : null;
}

/**
 * A stored end (type, id and pinned version, as a relation or an event holds it) as the faces show it; null when it
 * no longer exists or the viewer may not view it (users are visible to everyone).
 */
export async function findVisibleEnd(ctx: Ctx, type: EntityType, id: number, version: number): Promise<User | Space | ContentView | null> {
  if (type === 'USER') return ctx.loaders.users.load(id);
  const content = type === 'CONTENT' ? await ctx.loaders.contents.load(id) : null;
  if (type === 'CONTENT' && !content) return null;
  const space = await ctx.loaders.spaces.load(content ? content.spaceId : id);
  if (!space || !(await viewerHas(ctx, space, 'VIEW'))) return null;
  if (!content) return space;
  return { content, pinned: version ? await ctx.loaders.contentVersions.load(`${id}:${version}`) : null };
}
