import type { Config } from '../config.js';
import { createContext, type Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { authenticate, readCredentials } from './tokens.js';

/** Authenticates a request from its headers and builds its context; throws UnauthenticatedError. */
export async function contextFor(config: Config, db: Database, headers: Headers): Promise<Ctx> {
  const viewer = await authenticate(db.prisma, readCredentials(headers));
  return createContext(config, db, viewer);
}
