import { asActor } from '../events/actor.js';
import type { Ctx } from '../context.js';
import { Prisma, type Space, type SpaceMember } from '../generated/prisma/client.js';
import { LEVELS, type Level } from '../domain/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { validateSpaceKey, validateText } from '../domain/names.js';
import { FAVOURITE } from '../domain/relation-rules.js';
import { findVisibleSpace, resolveSpace, resolveUser } from './resolve.js';
import { isForeignKeyViolation, isUniqueViolation, retryingDeadlocks } from '../db/errors.js';
import { viewerHas } from './space-access.js';
import { pageOf, pageOffset, pageSize, type Page } from './paging.js';

export interface NewSpace {
  key: string;
  name: string;
  /** A public space gives VIEW to every authenticated user; a private one only to its members. */
  public?: boolean;
  description?: string | null;
  type?: 'global' | 'personal';
}

/** Anyone may create a space; its creator becomes its ADMIN. */
export async function createSpace({ ctx, ...input }: { ctx: Ctx } & NewSpace): Promise<Space> {
  const key = validateSpaceKey(input.key);
  const name = validateText(input.name, 'name');
  const description = input.description ? validateText(input.description, 'description', 10_000) : '';
  const type = input.type ?? 'global';
  if (type !== 'global' && type !== 'personal') throw new ValidationError("A space type is 'global' or 'personal'", 'type');
  try {
    return await ctx.prisma.space.create({
      data: {
        key,
        name,
        description,
        type,
        public: input.public ?? true,
        createdById: ctx.viewer.id,
        members: { create: { userId: ctx.viewer.id, level: 'ADMIN' } },
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError(`A space with key '${key}' already exists`, 'key');
    throw error;
  }
}

export async function getSpace({ ctx, key }: { ctx: Ctx; key: string }): Promise<Space | null> {
  return findVisibleSpace(ctx, key);
}

export interface SpaceListInput {
  ctx: Ctx;
  start?: number;
  limit: number;
  keys?: string[];
  type?: string;
  /** Only spaces the viewer marked as favourite. */
  favourite?: boolean;
  /** `current` or `archived`. */
  status?: string;
}

/** Spaces the viewer may view, in key order, one page. */
export async function listSpaces({ ctx, start, limit, keys, type, favourite, status }: SpaceListInput): Promise<Page<Space>> {
  const size = pageSize(limit, 'limit');
  const offset = pageOffset(start);
  if (size === 0) return { rows: [], hasMore: false };
  const visible: Prisma.SpaceWhereInput = ctx.viewer.siteAdmin ? {} : { OR: [{ public: true }, { members: { some: { userId: ctx.viewer.id } } }] };
  const where: Prisma.SpaceWhereInput = {
    AND: [
      visible,
      keys?.length ? { key: { in: keys } } : {},
      type ? { type } : {},
      status ? { status } : {},
      favourite ? { targetOf: { some: { name: FAVOURITE, sourceType: 'USER', sourceId: ctx.viewer.id } } } : {},
    ],
  };
  const rows = await ctx.prisma.space.findMany({ where, orderBy: { key: 'asc' }, skip: offset, take: size + 1 });
  return pageOf(rows, size);
}

/**
 * Deletes a space with its content and every relation that touches any of them, in one statement
 * (the foreign keys cascade). Returns the space as it was.
 */
/**
 * A space ADMIN deletes the space with everything in it. `alongside` is what a face records about the
 * deletion (the Confluence face's long task): it is written in the same transaction, so a failure
 * leaves neither the deletion nor the record behind.
 */
export async function deleteSpace<T = undefined>({
  ctx,
  key,
  alongside,
}: {
  ctx: Ctx;
  key: string;
  alongside?: (tx: Prisma.TransactionClient, space: Space) => Promise<T>;
}): Promise<{ space: Space; recorded: T }> {
  const space = await resolveSpace(ctx, key);
  if (!(await viewerHas(ctx, space, 'ADMIN'))) throw new ForbiddenError('Only a space admin may delete the space');
  const recorded = await retryingDeadlocks(() =>
    ctx.prisma.$transaction(async (tx) => {
      await tx.$executeRaw(Prisma.sql`DELETE FROM spaces WHERE id = ${space.id} AND ${asActor(ctx.viewer.id)}`);
      // Without `alongside`, T is its default, undefined.
      return (alongside ? alongside(tx, space) : undefined) as T;
    }),
  );
  return { space, recorded };
}

export function parseLevel(value: string): Level {
  const level = value.toUpperCase();
  if (!(LEVELS as string[]).includes(level)) throw new ValidationError('A level is VIEW, EDIT or ADMIN', 'level');
  return level as Level;
}

/** A space ADMIN grants (or changes) a user's level in the space. */
export async function addSpaceMember({
  ctx,
  spaceKey,
  user: userKey,
  level,
}: {
  ctx: Ctx;
  spaceKey: string;
  user: string;
  level: string;
}): Promise<SpaceMember & { space: Space }> {
  const parsed = parseLevel(level);
  const space = await resolveSpace(ctx, spaceKey);
  if (!(await viewerHas(ctx, space, 'ADMIN'))) throw new ForbiddenError('Only a space admin may manage its members');
  const user = await resolveUser(ctx, userKey);
  try {
    const member = await ctx.prisma.spaceMember.upsert({
      where: { spaceId_userId: { spaceId: space.id, userId: user.id } },
      create: { spaceId: space.id, userId: user.id, level: parsed },
      update: { level: parsed },
    });
    return { ...member, space };
  } catch (error) {
    // The space (or the user) was deleted by a concurrent request.
    if (isForeignKeyViolation(error)) throw new NotFoundError(`No space found with key '${spaceKey}'`);
    throw error;
  }
}
