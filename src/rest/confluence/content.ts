// Content (docs/confluence.md, Entities): list, get by status/version, create, update with a version increment,
// delete (trash current content; purge trashed content with status=trashed).
import { NotFoundError } from '../../domain/errors.js';
import { createContent, getContent, listContent, purgeContent, trashContent, updateContent } from '../../services/content.js';
import type { Api } from './env.js';
import { pageEnvelope, pageParams } from './paging.js';
import { parseRequest } from './params.js';
import { contentCreateRequest, contentDeleteRequest, contentRequest, contentsRequest, contentUpdateRequest } from './schemas.js';
import { contentJson } from './serialize.js';
import { contentView, contentViews } from './views.js';

export function registerContent(api: Api): void {
  api.get('/content', async (c) => {
    const { query } = await parseRequest(c, contentsRequest);
    const page = pageParams(c);
    const { rows, hasMore } = await listContent({
      ctx: c.var.ctx,
      ...page,
      spaceKey: query.spaceKey,
      type: query.type,
      title: query.title,
      status: query.status,
    });
    const views = await contentViews(
      c.var.ctx,
      rows.map((content) => ({ content, pinnedVersion: 0 })),
      true,
    );
    return c.json(
      pageEnvelope(
        c,
        c.var.links,
        page,
        views.map((view) => contentJson(view, c.var.links)),
        hasMore,
      ),
    );
  });

  api.post('/content', async (c) => {
    const { query, body } = await parseRequest(c, contentCreateRequest);
    const content = await createContent({
      ctx: c.var.ctx,
      spaceKey: body.space.key ?? '',
      title: body.title ?? '',
      type: body.type,
      status: body.status ?? query.status,
    });
    return c.json(contentJson(await contentView(c.var.ctx, content), c.var.links, true));
  });

  api.get('/content/:id', async (c) => {
    const { params, query } = await parseRequest(c, contentRequest);
    const id = params.id;
    const found = await getContent({ ctx: c.var.ctx, id, status: query.status, version: query.version });
    if (!found) throw new NotFoundError(`No content found with id '${id}'`);
    const view = await contentView(c.var.ctx, found.content, found.pinned?.number ?? 0);
    return c.json(contentJson(view, c.var.links, true));
  });

  api.put('/content/:id', async (c) => {
    const { params, body } = await parseRequest(c, contentUpdateRequest);
    const content = await updateContent({
      ctx: c.var.ctx,
      id: params.id,
      title: body.title,
      status: body.status,
      versionNumber: body.version.number,
      message: body.version.message,
      minorEdit: body.version.minorEdit,
    });
    return c.json(contentJson(await contentView(c.var.ctx, content), c.var.links, true));
  });

  api.delete('/content/:id', async (c) => {
    const { params, query } = await parseRequest(c, contentDeleteRequest);
    const id = params.id;
    if (query.status === 'trashed') {
      await purgeContent({ ctx: c.var.ctx, id });
      return c.body(null, 204);
    }
    const content = await trashContent({ ctx: c.var.ctx, id });
    return c.json(contentJson(await contentView(c.var.ctx, content), c.var.links, true));
  });
}
