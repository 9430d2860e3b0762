import type { Logger } from '@cqrs/platform';

export interface BackgroundStart {
  /** True once the step succeeded. */
  done: () => boolean;
  /** Why it has not succeeded yet (for readiness). */
  lastError: () => string | undefined;
}

/**
 * Runs a start-up step until it succeeds, with backoff, without holding the process back: the
 * query API listens (and answers 503, readiness failing) while its database or Kafka is away,
 * instead of exiting and leaving the platform to restart it in a loop.
 */
export function retryInBackground(
  what: string,
  step: () => Promise<void>,
  logger: Logger,
  isStopped: () => boolean = () => false,
): BackgroundStart {
  let done = false;
  let lastError: string | undefined = 'starting';
  void (async () => {
    for (let attempt = 0, backoff = 250; !isStopped(); attempt++) {
      try {
        await step();
        done = true;
        lastError = undefined;
        if (attempt > 0) logger.info({ what, attempt }, 'start-up step succeeded');
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if (attempt % 10 === 0)
          logger.warn({ what, err: lastError }, 'start-up step failed; retrying');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  })();
  return { done: () => done, lastError: () => lastError };
}
