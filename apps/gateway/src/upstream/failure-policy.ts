/** How one forwarded attempt ended, as far as the instance that took it is concerned. */
export type AttemptOutcome =
  | { kind: 'answered'; status: number }
  | { kind: 'timeout' }
  | { kind: 'connection-error'; code?: string }
  /** The client went away and we cancelled: says nothing about the instance. */
  | { kind: 'cancelled' };

/**
 * Upstream health is about the upstream, not the request. Any HTTP answer, 4xx or 5xx, proves
 * the instance is up and talking; what it said may be caused by what a client sent (a crafted
 * cursor, contention on the client's own account), so ejecting on it would let one client take
 * an instance out of rotation. Only an instance that cannot be reached or does not answer in
 * time is ejected here; an instance that is up but broken is taken out by the active health
 * check (its /health/ready), which no client controls.
 */
export function ejectsInstance(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'answered':
    case 'cancelled':
      return false;
    case 'timeout':
    case 'connection-error':
      return true;
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
    }
  }
}
