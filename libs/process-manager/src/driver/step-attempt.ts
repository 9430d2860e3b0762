import type { EventEnvelope } from '@cqrs/events';
import {
  idempotencyKey,
  isDone,
  type ProcessDefinition,
  type ProcessNext,
} from '../definition/process-definition';
import { advance } from '../definition/process-progress';
import type { CommandPort } from '../port/command-port';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import type { ClaimedProcess, StepRecord } from './step-rows.sql';

/** How an attempt ended, for metrics: an outcome, a retry, or nothing to send. */
export type AttemptKind = 'accepted' | 'rejected' | 'retry' | 'done';

export interface StepAttempt {
  readonly record: StepRecord;
  readonly step: string | null;
  readonly kind: AttemptKind;
}

export interface AttemptContext<S> {
  readonly definition: ProcessDefinition<S, EventEnvelope>;
  readonly port: CommandPort;
  readonly backoff: BackoffPolicy;
  readonly random?: () => number;
}

/**
 * One process, one step: compute the command, send it under `<processId>:<step>`, and turn
 * the answer into the row's next values. A definition that throws, or that stays on the step
 * it just got an answer for (it would re-send the same key forever and get the same answer),
 * is recorded as a failure with backoff: the process stays visible instead of spinning.
 */
export async function attemptStep<S>(
  context: AttemptContext<S>,
  claimed: ClaimedProcess<S>,
): Promise<StepAttempt> {
  const { definition, port } = context;
  let next: ProcessNext;
  try {
    next = definition.next(claimed.state);
  } catch (error) {
    return attemptFailed(claimed, claimed.step, `next failed: ${String(error)}`, context);
  }
  if (isDone(next)) {
    return {
      step: null,
      kind: 'done',
      record: {
        processId: claimed.processId,
        state: null,
        status: 'done',
        step: null,
        attempts: 0,
        delayMs: 0,
        lastError: null,
      },
    };
  }
  // A step other than the stored one (a new definition version) starts with a fresh count.
  const base = next.step === claimed.step ? claimed : { ...claimed, attempts: 0 };
  const result = await port.send(next, idempotencyKey(claimed.processId, next.step));
  if (result.kind === 'retry') return attemptFailed(base, next.step, result.reason, context);
  let advanced: ReturnType<typeof advance<S>>;
  try {
    advanced = advance(definition, claimed.state, next.step, result);
  } catch (error) {
    return attemptFailed(base, next.step, `onOutcome failed: ${String(error)}`, context);
  }
  if (advanced.progress.step === next.step) {
    return attemptFailed(
      base,
      next.step,
      `definition stayed on step ${next.step} after ${result.kind}`,
      context,
    );
  }
  return {
    step: next.step,
    kind: result.kind,
    record: {
      processId: claimed.processId,
      state: JSON.stringify(advanced.state),
      ...advanced.progress,
      attempts: 0,
      delayMs: 0,
      lastError: null,
    },
  };
}

function attemptFailed<S>(
  claimed: ClaimedProcess<S>,
  step: string | null,
  reason: string,
  context: AttemptContext<S>,
): StepAttempt {
  const attempts = claimed.attempts + 1;
  return {
    step,
    kind: 'retry',
    record: {
      processId: claimed.processId,
      state: null,
      status: 'active',
      step,
      attempts,
      delayMs: backoffDelayMs(attempts, context.backoff, context.random),
      lastError: reason,
    },
  };
}
