// The per-token rate limit shared by every instance through Redis (REDIS_URL): one counter per token and second
// in Redis (rate-limiter-flexible's fixed one-second windows), so N instances together admit RATE_LIMIT per
// second, not N times it. When Redis cannot be reached the gateway keeps serving: each instance falls back to
// limiting on its own (the insurance limiter), logs the change once, and /metrics shows rate_limit_shared 0.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../observability/log.js';

/** Fails a command at once while Redis is away (no queue of requests waiting for it), and never gives up reconnecting. */
const REDIS_OPTIONS = { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false, connectTimeout: 2_000 };

export class SharedRateLimiter {
  private readonly redis: Redis;
  private readonly limiter: RateLimiterRedis;
  /** Until Redis has answered or failed once, requests wait for it (briefly), rather than each instance admitting its own share. */
  private settled: Promise<void> | undefined;
  private warned = false;

  constructor(url: string, perSecond: number, prefix: string, log: Logger) {
    this.redis = new Redis(url, { ...REDIS_OPTIONS, retryStrategy: (attempt) => Math.min(attempt * 200, 2_000) });
    const away = (why?: unknown) => {
      if (this.warned) return;
      this.warned = true;
      log.warn('Redis is unreachable: each instance applies RATE_LIMIT on its own until it is back', why);
    };
    this.redis.on('ready', () => {
      if (this.warned) log.info('Redis is reachable again: the rate limit is shared by all instances');
      this.warned = false;
    });
    this.redis.on('error', away);
    this.redis.on('close', () => away());
    this.settled = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, REDIS_OPTIONS.connectTimeout);
      const done = () => {
        clearTimeout(timer);
        this.settled = undefined;
        resolve();
      };
      this.redis.once('ready', done);
      this.redis.once('error', done);
    });
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      points: perSecond,
      duration: 1,
      keyPrefix: prefix,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: perSecond, duration: 1 }),
    });
  }

  /** True while Redis answers; false while this instance limits on its own. */
  get shared(): boolean {
    return this.redis.status === 'ready';
  }

  /** Takes one request of the token; resolves 0 when allowed, else whole seconds to wait. */
  async take(tokenId: number): Promise<number> {
    if (this.settled) await this.settled;
    try {
      await this.limiter.consume(String(tokenId));
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}
