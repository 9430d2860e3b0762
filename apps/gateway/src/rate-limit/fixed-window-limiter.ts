export interface LimiterOptions {
  windowMs?: number;
  /**
   * Most keys tracked at once. Keys are client addresses and token subjects, which a client
   * chooses (spoofed sources behind a proxy, self-signed subjects of a leaked key): without a
   * bound, one window of fresh keys grows the map until the process runs out of memory.
   */
  maxKeys?: number;
  now?: () => number;
}

/**
 * A per-key fixed-window counter (requests per minute by default). In memory and per gateway
 * instance on purpose: it guards the services from one noisy client or subject, not a billing
 * quota, so N gateway replicas simply allow N times the limit. A limit of 0 disables it.
 * At `maxKeys` the least recently seen key is forgotten (its count starts again): memory stays
 * bounded, and the keys that are hitting hardest are the most recently seen, so they are kept.
 */
export class FixedWindowLimiter {
  private counts = new Map<string, number>();
  private windowStartedAt: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(
    private readonly limit: number,
    options: LimiterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
    this.windowStartedAt = this.now();
  }

  /** Keys currently tracked (what the memory bound applies to). */
  get size(): number {
    return this.counts.size;
  }

  /** Counts one request for `key`: undefined when allowed, else the seconds until the next window. */
  hit(key: string): { retryAfterSeconds: number } | undefined {
    if (this.limit === 0) return undefined;
    const now = this.now();
    if (now - this.windowStartedAt >= this.windowMs) {
      this.counts = new Map();
      this.windowStartedAt = now - ((now - this.windowStartedAt) % this.windowMs);
    }
    const previous = this.counts.get(key);
    // A Map iterates in insertion order: re-inserting makes it the most recent, and the first
    // key is then the least recently seen one, dropped in O(1).
    if (previous !== undefined) this.counts.delete(key);
    else if (this.counts.size >= this.maxKeys) {
      const oldest = this.counts.keys().next();
      if (oldest.done !== true) this.counts.delete(oldest.value);
    }
    const count = (previous ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= this.limit) return undefined;
    const remainingMs = this.windowStartedAt + this.windowMs - now;
    return { retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }
}
