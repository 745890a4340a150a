import type { Config } from '../config.js';
import { createContext, type Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { RateLimitedError } from '../domain/errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import { SharedRateLimiter } from '../http/shared-rate-limit.js';
import { loggerFor } from '../observability/log.js';
import { authenticateRequest, readCredentials } from './tokens.js';

type Limiter = RateLimiter | SharedRateLimiter;

// One limiter per app (each app has its own Config object), made on first use when RATE_LIMIT is set: shared
// through Redis when REDIS_URL is set, else in this process.
const limiters = new WeakMap<Config, Limiter>();

function limiterFor(config: Config, db: Database): Limiter | undefined {
  if (!config.rateLimit) return undefined;
  let limiter = limiters.get(config);
  if (!limiter) {
    if (config.redisUrl) {
      const shared = new SharedRateLimiter(config.redisUrl, config.rateLimit, config.redisKeyPrefix, loggerFor(config));
      db.onClose(() => shared.close());
      limiter = shared;
    } else limiter = new RateLimiter(config.rateLimit);
    limiters.set(config, limiter);
  }
  return limiter;
}

/** Whether the app's rate limit is shared through Redis right now: undefined without REDIS_URL or RATE_LIMIT (for /metrics). */
export function rateLimitShared(config: Config, db: Database): boolean | undefined {
  const limiter = limiterFor(config, db);
  return limiter instanceof SharedRateLimiter ? limiter.shared : undefined;
}

/** Authenticates a request from its headers, applies the per-token rate limit and builds its context;
 *  throws UnauthenticatedError or RateLimitedError. */
export async function contextFor(config: Config, db: Database, headers: Headers): Promise<Ctx> {
  const { viewer, user } = await authenticateRequest(db, readCredentials(headers));
  const limiter = limiterFor(config, db);
  // The in-process limiter answers synchronously: no await, and no promise, on the common path.
  const taken = limiter?.take(viewer.tokenId) ?? 0;
  const wait = typeof taken === 'number' ? taken : await taken;
  if (wait > 0) throw new RateLimitedError(wait);
  const ctx = createContext(config, db, viewer);
  ctx.loaders.users.prime(user.id, user);
  return ctx;
}
