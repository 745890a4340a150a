import type { Config } from '../config.js';
import { createContext, type Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { authenticateUser, readCredentials } from './tokens.js';

/** Authenticates a request from its headers and builds its context; throws UnauthenticatedError. */
export async function contextFor(config: Config, db: Database, headers: Headers): Promise<Ctx> {
  const { viewer, user } = await authenticateUser(db.prisma, readCredentials(headers));
  const ctx = createContext(config, db, viewer);
  ctx.loaders.users.prime(user.id, user);
  return ctx;
}
