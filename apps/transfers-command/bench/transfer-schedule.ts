/**
 * The pure arithmetic of the transfers benchmark: which accounts a transfer uses, when it is
 * due, and how long its waiter may still ask the service to hold a read.
 */

/**
 * The source and destination of the i-th transfer over a pool of `accounts` accounts: it walks
 * the pool two accounts at a time, so an account is touched again only after `accounts / 2`
 * other transfers. At rate r that is `accounts / (2 r)` seconds, longer than a transfer takes
 * to settle, so two transfers rarely hold one account's stream at once (a busy stream is
 * retried with backoff and would measure contention, not the process). The direction flips on
 * every lap so balances drift neither way.
 */
export function transferPair(i: number, accounts: number): { from: number; to: number } {
  if (accounts < 2) throw new Error('a transfer needs at least two accounts');
  const pairs = Math.floor(accounts / 2);
  const pair = i % pairs;
  const lap = Math.floor(i / pairs);
  const a = 2 * pair;
  return lap % 2 === 0 ? { from: a, to: a + 1 } : { from: a + 1, to: a };
}

/** When the i-th transfer of an open loop at `rate` per second is due, in ms after its start. */
export const dueAtMs = (i: number, rate: number): number => (i * 1000) / rate;

/**
 * The `Prefer: wait` (whole seconds, the contract's 1..10) for a waiter that has `leftMs` of its
 * budget; undefined once nothing is left. Rounded up so the server's hold never ends before the
 * budget does; the caller stops on its own clock.
 */
export function preferWaitSeconds(leftMs: number, maxSeconds = 10): number | undefined {
  if (leftMs <= 0) return undefined;
  return Math.min(maxSeconds, Math.max(1, Math.ceil(leftMs / 1000)));
}

/** How many transfers of `amount` each source account sends at most over `transfers`. */
export function maxDebitsPerAccount(transfers: number, accounts: number): number {
  const pairs = Math.floor(accounts / 2);
  return pairs === 0 ? 0 : Math.ceil(transfers / pairs);
}
