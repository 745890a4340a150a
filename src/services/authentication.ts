import type { Config } from '../config.js';
import { createContext, type Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { RateLimitedError } from '../domain/errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import { authenticateRequest, readCredentials } from './tokens.js';

// One limiter per app (each app has its own Config object), made on first use when RATE_LIMIT is set.
const limiters = new WeakMap<Config, RateLimiter>();

function limiterFor(config: Config): RateLimiter | undefined {
  if (!config.rateLimit) return undefined;
  let limiter = limiters.get(config);
  if (!limiter) limiters.set(config, (limiter = new RateLimiter(config.rateLimit)));
  return limiter;
}

/** Authenticates a request from its headers, applies the per-token rate limit and builds its context;
 *  throws UnauthenticatedError or RateLimitedError. */
export async function contextFor(config: Config, db: Database, headers: Headers): Promise<Ctx> {
  const { viewer, user } = await authenticateRequest(db, readCredentials(headers));
  const wait = limiterFor(config)?.take(viewer.tokenId) ?? 0;
  if (wait > 0) throw new RateLimitedError(wait);
  const ctx = createContext(config, db, viewer);
  ctx.loaders.users.prime(user.id, user);
  return ctx;
}
