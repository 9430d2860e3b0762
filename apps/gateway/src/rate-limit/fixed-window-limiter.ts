/**
 * A per-key fixed-window counter (requests per minute by default). In memory and per gateway
 * instance on purpose: it guards the services from one noisy client or subject, not a billing
 * quota, so N gateway replicas simply allow N times the limit. A limit of 0 disables it.
 */
export class FixedWindowLimiter {
  private counts = new Map<string, number>();
  private windowStartedAt: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStartedAt = now();
  }

  /** Counts one request for `key`: undefined when allowed, else the seconds until the next window. */
  hit(key: string): { retryAfterSeconds: number } | undefined {
    if (this.limit === 0) return undefined;
    const now = this.now();
    if (now - this.windowStartedAt >= this.windowMs) {
      // Dropping the whole map per window keeps memory bounded by the keys of one window.
      this.counts = new Map();
      this.windowStartedAt = now - ((now - this.windowStartedAt) % this.windowMs);
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= this.limit) return undefined;
    const remainingMs = this.windowStartedAt + this.windowMs - now;
    return { retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }
}
