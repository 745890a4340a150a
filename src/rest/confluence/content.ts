// Content (docs/confluence.md, Entities): list, get by status/version, create, update with a version increment,
// delete (trash current content; purge trashed content with status=trashed).
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { createContent, getContent, listContent, purgeContent, trashContent, updateContent } from '../../services/content.js';
import type { Api } from './env.js';
import { pageEnvelope, pageParams } from './paging.js';
import { field, integerParam, optionalString, query, readJson } from './params.js';
import { contentJson } from './serialize.js';
import { contentView, contentViews } from './views.js';

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ValidationError(`${name} must be true or false`, name);
  return value;
}

export function registerContent(api: Api): void {
  api.get('/content', async (c) => {
    const page = pageParams(c);
    const { rows, hasMore } = await listContent({
      ctx: c.var.ctx,
      ...page,
      spaceKey: query(c, 'spaceKey'),
      type: query(c, 'type'),
      title: query(c, 'title'),
      status: query(c, 'status'),
    });
    const views = await contentViews(c.var.ctx, rows.map((content) => ({ content, pinnedVersion: 0 })), true);
    return c.json(pageEnvelope(c, c.var.links, page, views.map((view) => contentJson(view, c.var.links)), hasMore));
  });

  api.post('/content', async (c) => {
    const body = await readJson(c);
    const content = await createContent({
      ctx: c.var.ctx,
      spaceKey: optionalString(field(body, 'space', 'key'), 'space.key') ?? '',
      title: optionalString(body.title, 'title') ?? '',
      type: optionalString(body.type, 'type'),
      status: optionalString(body.status, 'status') ?? query(c, 'status'),
    });
    return c.json(contentJson(await contentView(c.var.ctx, content), c.var.links, true));
  });

  api.get('/content/:id', async (c) => {
    const id = c.req.param('id');
    const version = integerParam(c, 'version');
    const found = await getContent({ ctx: c.var.ctx, id, status: query(c, 'status'), version });
    if (!found) throw new NotFoundError(`No content found with id '${id}'`);
    const view = await contentView(c.var.ctx, found.content, found.pinned?.number ?? 0);
    return c.json(contentJson(view, c.var.links, true));
  });

  api.put('/content/:id', async (c) => {
    const body = await readJson(c);
    const number = field(body, 'version', 'number');
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      throw new ValidationError('version.number is required: send the latest version number + 1', 'version.number');
    }
    const content = await updateContent({
      ctx: c.var.ctx,
      id: c.req.param('id'),
      title: optionalString(body.title, 'title'),
      status: optionalString(body.status, 'status'),
      versionNumber: number,
      message: optionalString(field(body, 'version', 'message'), 'version.message'),
      minorEdit: optionalBoolean(field(body, 'version', 'minorEdit'), 'version.minorEdit'),
    });
    return c.json(contentJson(await contentView(c.var.ctx, content), c.var.links, true));
  });

  api.delete('/content/:id', async (c) => {
    const id = c.req.param('id');
    if (query(c, 'status') === 'trashed') {
      await purgeContent({ ctx: c.var.ctx, id });
      return c.body(null, 204);
    }
    const content = await trashContent({ ctx: c.var.ctx, id });
    return c.json(contentJson(await contentView(c.var.ctx, content), c.var.links, true));
  });
}
