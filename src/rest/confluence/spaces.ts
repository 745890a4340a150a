// Spaces (docs/confluence.md): list, get, create (public or private), delete as a finished long task.
import { NotFoundError } from '../../domain/errors.js';
import { recordFinishedTask } from '../../services/long-tasks.js';
import { createSpace, deleteSpace, getSpace, listSpaces } from '../../services/spaces.js';
import type { Api } from './env.js';
import { longTaskPath } from './links.js';
import { pageEnvelope, pageParams } from './paging.js';
import { booleanParam, field, optionalString, query, readJson } from './params.js';
import { spaceJson } from './serialize.js';

function spaceInput(body: Record<string, unknown>) {
  return {
    key: optionalString(body.key, 'key') ?? '',
    name: optionalString(body.name, 'name') ?? '',
    description: optionalString(field(body, 'description', 'plain', 'value'), 'description.plain.value'),
  };
}

export function registerSpaces(api: Api): void {
  api.get('/space', async (c) => {
    const page = pageParams(c);
    const keys = (c.req.queries('spaceKey') ?? []).flatMap((k) => k.split(',')).filter(Boolean);
    const { rows, hasMore } = await listSpaces({
      ctx: c.var.ctx,
      ...page,
      keys,
      type: query(c, 'type'),
      status: query(c, 'status'),
      favourite: booleanParam(c, 'favourite'),
    });
    const results = rows.map((space) => spaceJson(space, c.var.links));
    return c.json(pageEnvelope(c, c.var.links, page, results, hasMore));
  });

  api.post('/space', async (c) => {
    const space = await createSpace({ ctx: c.var.ctx, ...spaceInput(await readJson(c)), public: true });
    return c.json(spaceJson(space, c.var.links, true));
  });

  api.post('/space/_private', async (c) => {
    const space = await createSpace({ ctx: c.var.ctx, ...spaceInput(await readJson(c)), public: false });
    return c.json(spaceJson(space, c.var.links, true));
  });

  api.get('/space/:key', async (c) => {
    const key = c.req.param('key');
    const space = await getSpace({ ctx: c.var.ctx, key });
    if (!space) throw new NotFoundError(`No space found with key '${key}'`);
    return c.json(spaceJson(space, c.var.links, true));
  });

  api.delete('/space/:key', async (c) => {
    // Confluence deletes a space in the background and answers with the task; here it is done already.
    const space = await deleteSpace({ ctx: c.var.ctx, key: c.req.param('key') });
    const task = await recordFinishedTask({ ctx: c.var.ctx, name: `Delete space ${space.key}` });
    return c.json({ id: task.id, links: { status: longTaskPath(task.id) } }, 202);
  });
}
