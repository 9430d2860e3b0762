import type { EventEnvelope } from '@cqrs/events';
import { isDone, type ProcessDefinition, type StepOutcome } from './process-definition';

/** Where a process stands, as its row records it (status and the step it is on). */
export interface ProcessProgress {
  readonly status: 'active' | 'done';
  /** The step `next(state)` names; null once done. */
  readonly step: string | null;
}

/** The row's status and step for `state`: the one place that turns `next` into columns. */
export function progressOf<S>(
  definition: ProcessDefinition<S, EventEnvelope>,
  state: S,
): ProcessProgress {
  const next = definition.next(state);
  return isDone(next) ? { status: 'done', step: null } : { status: 'active', step: next.step };
}

/**
 * The state after `outcome` and the progress it leads to: what the driver records in the
 * transaction of the send. Pure, so a definition's whole run can be replayed in a unit test.
 */
export function advance<S>(
  definition: ProcessDefinition<S, EventEnvelope>,
  state: S,
  step: string,
  outcome: StepOutcome,
): { state: S; progress: ProcessProgress } {
  const after = definition.onOutcome(state, step, outcome);
  return { state: after, progress: progressOf(definition, after) };
}
