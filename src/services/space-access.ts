import type { Ctx } from '../context.js';
import { Prisma, type Space } from '../generated/prisma/client.js';
import { hasLevel, type Level, type Viewer } from '../domain/access.js';

export async function viewerHas(ctx: Ctx, space: Space, needed: Level): Promise<boolean> {
  if (ctx.viewer.siteAdmin) return true;
  const memberLevel = await ctx.loaders.memberLevels.load(space.id);
  return hasLevel(ctx.viewer, { public: space.public, memberLevel }, needed);
}

/**
 * `hasLevel(viewer, space, 'VIEW')` as SQL conditions on the space row under `alias`, for lists filtered inside
 * their statement (so pages are full and counts reveal nothing): site admins view every space, others the
 * public ones and those they are a member of (any level gives VIEW).
 */
export function spaceViewable(alias: string, viewer: Viewer): Prisma.Sql[] {
  if (viewer.siteAdmin) return [];
  return [spaceViewableBy(alias, Prisma.sql`${viewer.id}`)];
}

/** The same rule for a viewer who is not a site admin, its user id an SQL expression (a column, when one statement serves many viewers). */
export function spaceViewableBy(alias: string, userId: Prisma.Sql): Prisma.Sql {
  const s = Prisma.raw(alias);
  return Prisma.sql`(${s}.public OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = ${s}.id AND m.user_id = ${userId}))`;
}
