import type { Ctx } from '../context.js';
import type { Space } from '../generated/prisma/client.js';
import { hasLevel, levelIn, type Level } from '../domain/access.js';

/** The viewer's level in a space (null = may not even view it), loading membership through the loaders. */
export async function viewerLevel(ctx: Ctx, space: Space): Promise<Level | null> {
  if (ctx.viewer.siteAdmin) return 'ADMIN';
  const memberLevel = await ctx.loaders.memberLevels.load(space.id);
  return levelIn(ctx.viewer, { public: space.public, memberLevel });
}

export async function viewerHas(ctx: Ctx, space: Space, needed: Level): Promise<boolean> {
  if (ctx.viewer.siteAdmin) return true;
  const memberLevel = await ctx.loaders.memberLevels.load(space.id);
  return hasLevel(ctx.viewer, { public: space.public, memberLevel }, needed);
}
