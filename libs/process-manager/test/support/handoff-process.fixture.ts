import type { EventEnvelope } from '@cqrs/events';
import type { ProcessDefinition, StepOutcome } from '../../src';

/**
 * A test-only process with the shape the runtime is built for: take from one ledger, give to
 * another, give back when the second leg is refused, then tell the requester. It talks to two
 * targets ('ledger' and 'requests'), so it exercises everything a two-context process needs
 * without depending on any context's domain.
 */
export type HandoffRequested = EventEnvelope<
  'HandoffRequested',
  { from: string; to: string; amount: number }
>;
export type HandoffEvent = HandoffRequested | EventEnvelope<'HandoffNoted', { note: string }>;

export type HandoffPhase = 'debit' | 'credit' | 'refund' | 'complete' | 'fail' | 'finished';

export interface HandoffState {
  handoffId: string;
  from: string;
  to: string;
  amount: number;
  phase: HandoffPhase;
  /** Why the handoff failed: the code of the rejection that decided it. */
  reason?: string;
  notes?: string[];
}

const after = (state: HandoffState, outcome: StepOutcome): HandoffState => {
  const accepted = outcome.kind === 'accepted';
  const reason = outcome.kind === 'rejected' ? outcome.code : undefined;
  switch (state.phase) {
    case 'debit':
      return accepted ? { ...state, phase: 'credit' } : { ...state, phase: 'fail', reason };
    case 'credit':
      return accepted ? { ...state, phase: 'complete' } : { ...state, phase: 'refund', reason };
    case 'refund':
      // A refused refund needs a person; the fixture records it and still fails the handoff.
      return accepted
        ? { ...state, phase: 'fail' }
        : { ...state, phase: 'fail', reason: `REFUND_REJECTED:${reason ?? ''}` };
    case 'complete':
    case 'fail':
    case 'finished':
      return { ...state, phase: 'finished' };
    default: {
      const unknown: never = state.phase;
      throw new Error(`unknown phase ${String(unknown)}`);
    }
  }
};

export function handoffProcess(name = 'handoffs'): ProcessDefinition<HandoffState, HandoffEvent> {
  return {
    name,
    start: (event) =>
      event.type === 'HandoffRequested'
        ? {
            processId: event.streamId,
            state: { handoffId: event.streamId, ...event.data, phase: 'debit' },
          }
        : undefined,
    observe: {
      processIdOf: (event) => (event.type === 'HandoffNoted' ? event.streamId : undefined),
      apply: (state, event) =>
        event.type === 'HandoffNoted'
          ? { ...state, notes: [...(state.notes ?? []), event.data.note] }
          : state,
    },
    next: (state) => {
      const { handoffId: id, amount } = state;
      switch (state.phase) {
        case 'debit':
          return ledger('debit', `/ledgers/${state.from}/debit`, { amount, reference: id });
        case 'credit':
          return ledger('credit', `/ledgers/${state.to}/credit`, { amount, reference: id });
        case 'refund':
          return ledger('refund', `/ledgers/${state.from}/credit`, { amount, reference: id });
        case 'complete':
          return requests('complete', `/handoffs/${id}/complete`, {});
        case 'fail':
          return requests('fail', `/handoffs/${id}/fail`, { reason: state.reason ?? 'unknown' });
        case 'finished':
          return { done: true };
        default: {
          const unknown: never = state.phase;
          throw new Error(`unknown phase ${String(unknown)}`);
        }
      }
    },
    // An answer for a step the state is not on (cannot happen through the driver) changes nothing.
    onOutcome: (state, step, outcome) => (step === state.phase ? after(state, outcome) : state),
  };
}

const ledger = (step: HandoffPhase, path: string, body: object) =>
  ({ step, target: 'ledger', command: { method: 'POST', path, body } }) as const;
const requests = (step: HandoffPhase, path: string, body: object) =>
  ({ step, target: 'requests', command: { method: 'POST', path, body } }) as const;

/** A HandoffRequested (or HandoffNoted) envelope, as the runtime decodes it from Kafka. */
export function handoffEvent(
  handoffId: string,
  version: number,
  payload:
    | { type: 'HandoffRequested'; data: HandoffRequested['data'] }
    | { type: 'HandoffNoted'; data: { note: string } },
): HandoffEvent {
  return {
    eventId: `${handoffId}-${version}`,
    schemaVersion: 1,
    streamId: handoffId,
    streamVersion: version,
    occurredAt: new Date(0).toISOString(),
    metadata: {} as HandoffEvent['metadata'],
    ...payload,
  };
}
