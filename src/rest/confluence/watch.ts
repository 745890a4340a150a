// /user/watch/...: the `watch` relation from a user to content or a space, as Confluence shows it.
import type { Context } from 'hono';
import type { EntityRef, EntityType } from '../../domain/entities.js';
import { WATCH } from '../../domain/relation-rules.js';
import { createRelation, deleteRelation, getRelation } from '../../services/relations.js';
import type { Api, ConfluenceEnv } from './env.js';
import { parseRequest } from './params.js';
import { namedUser, watchContentRequest, watchSpaceRequest } from './schemas.js';

type C = Context<ConfluenceEnv>;

/** The watcher is the caller unless a user is named (the service lets only site admins act for others). */
async function watchKey(c: C, type: EntityType) {
  const { params, query } = await parseRequest(c, type === 'CONTENT' ? watchContentRequest : watchSpaceRequest);
  const source: EntityRef = { type: 'USER', key: namedUser(query) ?? 'current' };
  const target: EntityRef = { type, key: 'contentId' in params ? params.contentId : params.spaceKey };
  return { ctx: c.var.ctx, name: WATCH, source, target };
}

function register(api: Api, path: string, type: EntityType) {
  api.get(path, async (c) => c.json({ watching: (await getRelation(await watchKey(c, type))) !== null }));
  api.post(path, async (c) => {
    await createRelation(await watchKey(c, type));
    return c.body(null, 204);
  });
  api.delete(path, async (c) => {
    await deleteRelation(await watchKey(c, type));
    return c.body(null, 204);
  });
}

export function registerWatches(api: Api): void {
  register(api, '/user/watch/content/:contentId', 'CONTENT');
  register(api, '/user/watch/space/:spaceKey', 'SPACE');
}
