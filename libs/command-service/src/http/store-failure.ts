import { AppendOutcomeUnknownError, AppendQueueFullError } from '@cqrs/event-store';
import { problem, type Problem } from '@cqrs/platform';

export interface FailureAnswer {
  problem: Problem;
  headers: Record<string, string>;
  outcome: string;
}

/**
 * The coded failures of the store, as the contract answers them. Anything else (a database that
 * does not answer) returns undefined and becomes the generic 503 of the exception filter.
 */
export function answerStoreFailure(error: unknown): FailureAnswer | undefined {
  if (error instanceof AppendOutcomeUnknownError) {
    // Not 503 "retry": a blind retry could apply the command twice. Only a keyed retry is safe.
    return {
      problem: problem(
        504,
        'COMMAND_OUTCOME_UNKNOWN',
        'The command may or may not have been applied (the database connection failed after it was sent). Retry it with the same Idempotency-Key to learn its outcome.',
      ),
      headers: {},
      outcome: 'outcome_unknown',
    };
  }
  if (error instanceof AppendQueueFullError) {
    return {
      problem: problem(
        503,
        'COMMAND_QUEUE_FULL',
        'The service has more commands waiting than it accepts; nothing was applied. Retry shortly.',
      ),
      headers: { 'retry-after': '1' },
      outcome: 'queue_full',
    };
  }
  return undefined;
}
