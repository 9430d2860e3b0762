/** How one forwarded attempt ended, as far as the instance that took it is concerned. */
export type AttemptOutcome =
  | { kind: 'answered'; status: number }
  | { kind: 'timeout' }
  | { kind: 'connection-error'; code?: string }
  /** The client went away and we cancelled: says nothing about the instance. */
  | { kind: 'cancelled' };

/**
 * What an attempt says about the instance: nothing (`keep`), that it is gone (`eject`: out of
 * rotation at once), or that it may be stuck (`probe`: ask its /health/ready now, which ejects
 * it if that fails too).
 */
export type Verdict = 'keep' | 'eject' | 'probe';

/**
 * Upstream health is about the upstream, not the request. Any HTTP answer, 4xx or 5xx, proves
 * the instance is up and talking; what it said may be caused by what a client sent (a crafted
 * cursor, contention on the client's own aggregate), so ejecting on it would let one client take
 * instances out of rotation. An instance that cannot be reached is ejected at once. A timeout
 * is ambiguous: a hung instance, or one slow request (sixty concurrent commands on one aggregate
 * timed out on healthy instances and ejected both), so it triggers a health probe, which no
 * client controls, and the probe decides. A broken-but-answering instance is taken out by its
 * failed probe too.
 */
export function judgeAttempt(outcome: AttemptOutcome): Verdict {
  switch (outcome.kind) {
    case 'answered':
    case 'cancelled':
      return 'keep';
    case 'connection-error':
      return 'eject';
    case 'timeout':
      return 'probe';
    default: {
      const unhandled: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
    }
  }
}
