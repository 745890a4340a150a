// Spaces (docs/confluence.md): list, get, create (public or private), delete as a finished long task.
import type { Context } from 'hono';
import { NotFoundError } from '../../domain/errors.js';
import { recordFinishedTask } from '../../services/long-tasks.js';
import { createSpace, deleteSpace, getSpace, listSpaces } from '../../services/spaces.js';
import type { Api } from './env.js';
import { longTaskPath } from './links.js';
import { pageEnvelope, pageParams } from './paging.js';
import { parseRequest } from './params.js';
import { spaceCreateRequest, spaceRequest, spacesRequest } from './schemas.js';
import { spaceJson } from './serialize.js';

async function spaceInput(c: Context) {
  const { body } = await parseRequest(c, spaceCreateRequest);
  return { key: body.key ?? '', name: body.name ?? '', description: body.description.plain.value };
}

export function registerSpaces(api: Api): void {
  api.get('/space', async (c) => {
    const { query } = await parseRequest(c, spacesRequest);
    const page = pageParams(c);
    const { rows, hasMore } = await listSpaces({
      ctx: c.var.ctx,
      ...page,
      keys: query.spaceKey,
      type: query.type,
      status: query.status,
      favourite: query.favourite,
    });
    const results = rows.map((space) => spaceJson(space, c.var.links));
    return c.json(pageEnvelope(c, c.var.links, page, results, hasMore));
  });

  api.post('/space', async (c) => {
    const space = await createSpace({ ctx: c.var.ctx, ...(await spaceInput(c)), public: true });
    return c.json(spaceJson(space, c.var.links, true));
  });

  api.post('/space/_private', async (c) => {
    const space = await createSpace({ ctx: c.var.ctx, ...(await spaceInput(c)), public: false });
    return c.json(spaceJson(space, c.var.links, true));
  });

  api.get('/space/:spaceKey', async (c) => {
    const key = (await parseRequest(c, spaceRequest)).params.spaceKey;
    const space = await getSpace({ ctx: c.var.ctx, key });
    if (!space) throw new NotFoundError(`No space found with key '${key}'`);
    return c.json(spaceJson(space, c.var.links, true));
  });

  api.delete('/space/:spaceKey', async (c) => {
    const { params } = await parseRequest(c, spaceRequest);
    // Confluence deletes a space in the background and answers with the task; here it is done already.
    const { recorded: task } = await deleteSpace({
      ctx: c.var.ctx,
      key: params.spaceKey,
      alongside: (db, space) => recordFinishedTask({ ctx: c.var.ctx, db, name: `Delete space ${space.key}` }),
    });
    return c.json({ id: task.id, links: { status: longTaskPath(task.id) } }, 202);
  });
}
