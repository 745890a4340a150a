import type { Config } from '../config.js';
import { createContext, type Ctx } from '../context.js';
import type { Database } from '../db/database.js';
import { RateLimitedError } from '../domain/errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import { SharedRateLimiter } from '../http/shared-rate-limit.js';
import { loggerFor } from '../observability/log.js';
import { CallerCheck, confirmCaller, knownCallersOf } from './callers.js';
import { type Authenticated, authenticateRequest, hashOf, identityMatches, readCredentials } from './tokens.js';

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

// A REST method that only reads: its caller may be taken on trust until it answers (ContextOptions).
const reads = (method: string): boolean => method === 'GET' || method === 'HEAD';

export interface ContextOptions {
  /**
   * The request only reads, or writes only through writeAs (which confirms first), and confirms its caller
   * before it answers (confirmCaller): a caller this process has seen may be taken on trust until then, and its
   * check rides on the first read (src/services/callers.ts).
   */
  provisional?: boolean;
}

/** Authenticates a request from its headers, applies the per-token rate limit and builds its context;
 *  throws UnauthenticatedError or RateLimitedError. */
export async function contextFor(config: Config, db: Database, headers: Headers, { provisional = false }: ContextOptions = {}): Promise<Ctx> {
  const credentials = readCredentials(headers);
  const hash = hashOf(credentials);
  const callers = knownCallersOf(db);
  // With read replicas the token's own statement also tells where the caller's reads may go: never on trust.
  const expected = provisional && !db.caller ? callers.get(hash) : undefined;
  const trusted = expected && credentials && identityMatches(expected.user, credentials.identity) ? expected : undefined;
  let authenticated: Authenticated;
  if (trusted) authenticated = trusted;
  else {
    authenticated = await authenticateRequest(db, credentials, hash);
    callers.remember(hash, authenticated);
  }
  const { viewer, user } = authenticated;
  const limiter = limiterFor(config, db);
  // The in-process limiter answers synchronously: no await, and no promise, on the common path.
  const taken = limiter?.take(viewer.tokenId) ?? 0;
  const wait = typeof taken === 'number' ? taken : await taken;
  if (wait > 0) throw new RateLimitedError(wait);
  const ctx = createContext(config, db, viewer);
  ctx.loaders.users.prime(user.id, user);
  if (trusted && credentials) {
    ctx.caller = new CallerCheck(db, credentials, hash, trusted, (fresh) => ctx.loaders.users.clear(fresh.user.id).prime(fresh.user.id, fresh.user));
  }
  return ctx;
}

/**
 * Runs a REST request as its caller (a REST face's middleware): a read may take a known caller on trust, and
 * nothing is answered before the caller is confirmed; a refusal (thrown after `run`) replaces the answer.
 * `writesAsCaller`: the route writes only through writeAs, so it may start on trust as a read does.
 */
export async function asCaller(config: Config, db: Database, request: Request, run: (ctx: Ctx) => Promise<void>, writesAsCaller = false): Promise<void> {
  const ctx = await contextFor(config, db, request.headers, { provisional: writesAsCaller || reads(request.method) });
  await run(ctx);
  await confirmCaller(ctx);
}
