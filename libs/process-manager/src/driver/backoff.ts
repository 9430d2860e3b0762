/** Capped exponential backoff: how long a failed step waits before its next attempt. */
export interface BackoffPolicy {
  /** The wait after the first failure (before jitter). */
  readonly baseMs: number;
  /** No wait is longer than this, however many failures came before. */
  readonly maxMs: number;
}

/**
 * The wait before attempt `failures + 1`: `min(max, base * 2^(failures-1))`, jittered
 * downwards by up to half ("equal jitter"). The jitter spreads the retries of many processes
 * that failed together (an upstream restart) so they do not come back as one wave; keeping at
 * least half the ceiling keeps the backoff growing. `random` is injected so tests are exact.
 */
export function backoffDelayMs(
  failures: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeilingMs(failures, policy);
  const half = ceiling / 2;
  return Math.round(half + half * Math.min(Math.max(random(), 0), 1));
}

/** The un-jittered wait: doubles per failure from `baseMs`, capped at `maxMs`. */
export function backoffCeilingMs(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.floor(failures) - 1);
  // 2^exponent overflows to Infinity long after the cap; Math.min keeps that harmless.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 1_000));
}
