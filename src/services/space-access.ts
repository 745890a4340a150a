import type { Ctx } from '../context.js';
import type { Space } from '../generated/prisma/client.js';
import { hasLevel, type Level } from '../domain/access.js';

export async function viewerHas(ctx: Ctx, space: Space, needed: Level): Promise<boolean> {
  if (ctx.viewer.siteAdmin) return true;
  const memberLevel = await ctx.loaders.memberLevels.load(space.id);
  return hasLevel(ctx.viewer, { public: space.public, memberLevel }, needed);
}
