// A token bucket per API token, in process memory: each gateway instance limits its own traffic.
export class RateLimiter {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();
  private sweptAt = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one request from the token's bucket; returns 0 when allowed, else whole seconds to wait. */
  take(tokenId: number): number {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(tokenId) ?? { tokens: this.perSecond, at: now };
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(tokenId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  // Full buckets carry no information; dropping them keeps memory bounded by the active tokens.
  private sweep(now: number): void {
    if (now - this.sweptAt < 10_000) return;
    this.sweptAt = now;
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.perSecond) this.buckets.delete(id);
    }
  }
}
