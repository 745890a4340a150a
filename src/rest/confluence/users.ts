// Users (docs/confluence.md, Entities): by accountId, userKey or username, and the caller.
import type { Context } from 'hono';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { getUser, me } from '../../services/users.js';
import type { Api } from './env.js';
import { query } from './params.js';
import { userJson } from './serialize.js';

/** The user a request names with `accountId`, `key` or `username`; undefined when it names none. */
export function userKeyParam(c: Context): string | undefined {
  const given = (['accountId', 'key', 'username'] as const).map((name) => query(c, name)).filter((v) => v !== undefined);
  if (given.length > 1) throw new ValidationError('Give only one of accountId, key or username', 'accountId');
  return given[0];
}

export function registerUsers(api: Api): void {
  api.get('/user', async (c) => {
    const key = userKeyParam(c);
    if (key === undefined) throw new ValidationError('Give one of accountId, key or username', 'accountId');
    const user = await getUser({ ctx: c.var.ctx, key });
    if (!user) throw new NotFoundError(`No user found with key '${key}'`);
    return c.json(userJson(user, c.var.links, true));
  });

  api.get('/user/current', async (c) => c.json(userJson(await me({ ctx: c.var.ctx }), c.var.links, true)));
}
