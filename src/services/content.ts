import { asActor } from '../events/actor.js';
import type { Ctx } from '../context.js';
import { Prisma, type Content, type Space } from '../generated/prisma/client.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { contentSelector, parseContentStatus, parseContentType, type ContentStatus } from '../domain/entities.js';
import { validateText } from '../domain/names.js';
import { findVisibleContent, findVisibleSpace, resolveContent, resolveSpace, type VisibleContent } from './resolve.js';
import { isForeignKeyViolation, isUniqueViolation, retryingDeadlocks } from '../db/errors.js';
import { viewerHas } from './space-access.js';
import { pageOf, pageOffset, pageSize, type Page } from './paging.js';
import { columnsOf, rowOf } from './row-columns.js';

export interface NewContent {
  spaceKey: string;
  title: string;
  type?: string | null;
  status?: string | null;
}

/** Creating content needs EDIT in its space; version 1 is recorded like every later one. */
export async function createContent({ ctx, ...input }: { ctx: Ctx } & NewContent): Promise<Content> {
  const title = validateText(input.title, 'title');
  const type = parseContentType(input.type ?? 'page');
  const status = parseContentStatus(input.status ?? 'current');
  if (status === 'trashed') throw new ValidationError('New content cannot be trashed', 'status');
  const space = await resolveSpace(ctx, input.spaceKey);
  if (!(await viewerHas(ctx, space, 'EDIT'))) throw new ForbiddenError('Creating content needs EDIT permission in the space');
  try {
    return await ctx.prisma.content.create({
      data: {
        spaceId: space.id,
        type,
        title,
        status,
        createdById: ctx.viewer.id,
        versions: { create: { number: 1, title, status, byId: ctx.viewer.id } },
      },
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new NotFoundError(`No space found with key '${input.spaceKey}'`);
    throw error;
  }
}

/** Content as asked for: `status` (default current, `any` for every status) and an optional version. */
export async function getContent({
  ctx,
  id,
  status,
  version,
}: {
  ctx: Ctx;
  id: string;
  status?: string | null;
  version?: number | null;
}): Promise<VisibleContent | null> {
  // Here a version needs no `historical`: GET /content/{id}?version=N shows that version.
  const selector = contentSelector(status === 'historical' ? 'historical' : status, version ?? null);
  return findVisibleContent(ctx, id, version ? { status: selector.status, version } : selector);
}

export interface ContentUpdate {
  id: string;
  title?: string | null;
  status?: string | null;
  /** When given, must be the latest version + 1 (Confluence's optimistic lock). */
  versionNumber?: number | null;
  message?: string | null;
  minorEdit?: boolean | null;
}

/** Changing the title or status bumps the version and keeps the previous one. Needs EDIT. */
export async function updateContent({ ctx, ...input }: { ctx: Ctx } & ContentUpdate): Promise<Content> {
  const { content, space } = await resolveContent(ctx, input.id, { status: 'any', version: 0 });
  if (!(await viewerHas(ctx, space, 'EDIT'))) throw new ForbiddenError('Editing content needs EDIT permission in the space');
  const title = input.title === undefined || input.title === null ? content.title : validateText(input.title, 'title');
  const status: ContentStatus = input.status ? parseContentStatus(input.status) : (content.status as ContentStatus);
  if (input.versionNumber !== undefined && input.versionNumber !== null && input.versionNumber !== content.version + 1) {
    throw new ConflictError(`Version must be incremented: the latest version is ${content.version}, so send ${content.version + 1}`);
  }
  if (title === content.title && status === content.status) return content;
  return bumpVersion(ctx, content, { title, status, message: input.message ?? '', minorEdit: input.minorEdit ?? false });
}

async function bumpVersion(ctx: Ctx, content: Content, change: { title: string; status: string; message: string; minorEdit: boolean }) {
  const next = content.version + 1;
  const now = new Date();
  let rows: Record<string, unknown>[];
  try {
    // One statement, so no transaction to wait for: under a burst it queues for a connection like any read
    // instead of failing when Prisma's transaction start times out. The conditional update makes a
    // concurrent edit of the same version match nothing instead of being lost.
    rows = await ctx.prisma.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
      WITH bumped AS (
        UPDATE content SET title = ${change.title}, status = ${change.status}, version = ${next}, updated_at = ${now}
        WHERE id = ${content.id} AND version = ${content.version}
        RETURNING *
      ), recorded AS (
        INSERT INTO content_versions (content_id, number, title, status, message, minor_edit, by_id, "when")
        SELECT id, version, title, status, ${change.message}, ${change.minorEdit}, ${ctx.viewer.id}, ${now} FROM bumped
      )
      SELECT ${columnsOf('content', 'b')} FROM bumped b`);
  } catch (error) {
    // The next version row exists: someone else bumped it first.
    if (isUniqueViolation(error)) throw conflict(content);
    throw error;
  }
  const updated = rows[0] && rowOf(rows[0], 'content', 'b');
  // No row: someone else bumped the version first, or deleted the content.
  if (!updated) throw conflict(content);
  ctx.loaders.contents.clear(content.id).prime(content.id, updated);
  return updated;
}

const conflict = (content: Content) => new ConflictError(`Content ${content.id} was changed by someone else; reload it and try again`);

/** Trashing keeps the content (and its relations, reachable with status=trashed). Needs EDIT. */
export async function trashContent({ ctx, id }: { ctx: Ctx; id: string }): Promise<Content> {
  const { content, space } = await resolveContent(ctx, id, { status: 'current', version: 0 });
  if (!(await viewerHas(ctx, space, 'EDIT'))) throw new ForbiddenError('Trashing content needs EDIT permission in the space');
  return bumpVersion(ctx, content, { title: content.title, status: 'trashed', message: '', minorEdit: false });
}

/** Purging removes trashed content and every relation it is an end of. Needs ADMIN. */
export async function purgeContent({ ctx, id }: { ctx: Ctx; id: string }): Promise<Content> {
  const { content, space } = await resolveContent(ctx, id, { status: 'any', version: 0 });
  if (!(await viewerHas(ctx, space, 'ADMIN'))) throw new ForbiddenError('Purging content needs ADMIN permission in the space');
  if (content.status !== 'trashed') throw new ValidationError('Only trashed content can be purged; trash it first', 'purge');
  await retryingDeadlocks(() => ctx.prisma.$executeRaw(Prisma.sql`DELETE FROM content WHERE id = ${content.id} AND ${asActor(ctx.viewer.id)}`));
  ctx.loaders.contents.clear(content.id);
  return content;
}

export interface ContentListInput {
  ctx: Ctx;
  spaceKey?: string | null;
  type?: string | null;
  title?: string | null;
  status?: string | null;
  start?: number;
  limit: number;
}

/** Content the viewer may view, in id order, one page. */
export async function listContent({ ctx, spaceKey, type, title, status, start, limit }: ContentListInput): Promise<Page<Content>> {
  const size = pageSize(limit, 'limit');
  const offset = pageOffset(start);
  const contentType = type ? parseContentType(type) : undefined;
  const contentStatus = status && status !== 'any' ? parseContentStatus(status) : undefined;
  let space: Space | null = null;
  if (spaceKey) {
    space = await findVisibleSpace(ctx, spaceKey);
    if (!space) return { rows: [], hasMore: false };
  }
  if (size === 0) return { rows: [], hasMore: false };
  const rows = await ctx.prisma.content.findMany({
    where: {
      AND: [
        space ? { spaceId: space.id } : {},
        ctx.viewer.siteAdmin ? {} : { space: { OR: [{ public: true }, { members: { some: { userId: ctx.viewer.id } } }] } },
        contentType ? { type: contentType } : {},
        status === 'any' ? {} : { status: contentStatus ?? 'current' },
        title ? { title } : {},
      ],
    },
    orderBy: { id: 'asc' },
    skip: offset,
    take: size + 1,
  });
  return pageOf(rows, size);
}
