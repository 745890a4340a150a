// /user/watch/...: the `watch` relation from a user to content or a space, as Confluence shows it.
import type { Context } from 'hono';
import type { EntityRef, EntityType } from '../../domain/entities.js';
import { WATCH } from '../../domain/relation-rules.js';
import { createRelation, deleteRelation, getRelation } from '../../services/relations.js';
import type { Api, ConfluenceEnv } from './env.js';
import { userKeyParam } from './users.js';

type C = Context<ConfluenceEnv>;

/** The watcher is the caller unless a user is named (the service lets only site admins act for others). */
function watchKey(c: C, type: EntityType, param: string) {
  const source: EntityRef = { type: 'USER', key: userKeyParam(c) ?? 'current' };
  const target: EntityRef = { type, key: c.req.param(param) ?? '' };
  return { ctx: c.var.ctx, name: WATCH, source, target };
}

function register(api: Api, path: string, type: EntityType, param: string) {
  api.get(path, async (c) => c.json({ watching: (await getRelation(watchKey(c, type, param))) !== null }));
  api.post(path, async (c) => {
    await createRelation(watchKey(c, type, param));
    return c.body(null, 204);
  });
  api.delete(path, async (c) => {
    await deleteRelation(watchKey(c, type, param));
    return c.body(null, 204);
  });
}

export function registerWatches(api: Api): void {
  register(api, '/user/watch/content/:contentId', 'CONTENT', 'contentId');
  register(api, '/user/watch/space/:spaceKey', 'SPACE', 'spaceKey');
}
