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

/** What a claim of one process did: its attempts in order and the row's values after them. */
export interface ClaimRun {
  readonly attempts: readonly StepAttempt[];
  readonly record: StepRecord;
}

/**
 * Runs a claimed process's steps one after another while each is answered, up to `maxSteps`:
 * a process of three steps (debit, credit, complete) then takes one claim and one write
 * instead of three of each. The first retry or the end stops the run; the row gets the state after the last
 * answered step (a retry's record keeps the stored state, which is no longer the right one when
 * earlier steps of this run were answered). A crash before the commit rolls the whole run back,
 * and the next claim re-sends its steps under the same keys, as for a single step.
 */
export async function runClaimed<S>(
  context: AttemptContext<S>,
  claimed: ClaimedProcess<S>,
  maxSteps: number,
): Promise<ClaimRun> {
  const attempts: StepAttempt[] = [];
  let current = claimed;
  let answeredState: string | null = null;
  for (;;) {
    const attempt = await attemptStep(context, current);
    attempts.push(attempt);
    const { record } = attempt;
    if (attempt.kind === 'retry' || attempt.kind === 'done' || record.status === 'done')
      return { attempts, record: { ...record, state: record.state ?? answeredState } };
    if (attempts.length >= maxSteps) return { attempts, record };
    answeredState = record.state;
    current = {
      processId: claimed.processId,
      state: JSON.parse(record.state ?? 'null') as S,
      step: record.step,
      attempts: 0,
    };
  }
}
