// Users (docs/confluence.md, Entities): by accountId, userKey or username, and the caller.
import { NotFoundError } from '../../domain/errors.js';
import { getUser, me } from '../../services/users.js';
import type { Api } from './env.js';
import { parseRequest } from './params.js';
import { namedUser, userRequest } from './schemas.js';
import { userJson } from './serialize.js';

export function registerUsers(api: Api): void {
  api.get('/user', async (c) => {
    // The schema has made sure exactly one of accountId, key or username is given.
    const key = namedUser((await parseRequest(c, userRequest)).query)!;
    const user = await getUser({ ctx: c.var.ctx, key });
    if (!user) throw new NotFoundError(`No user found with key '${key}'`);
    return c.json(userJson(user, c.var.links, true));
  });

  api.get('/user/current', async (c) => c.json(userJson(await me({ ctx: c.var.ctx }), c.var.links, true)));
}
