import type { TransferEventPayload, TransferFailureCode } from '@cqrs/events';

export interface ExistingTransfer {
  readonly status: 'pending' | 'completed' | 'failed';
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: number;
  readonly currency: string;
  readonly requestedBy: string;
  /** Set once the transfer failed. */
  readonly failureCode: TransferFailureCode | undefined;
  /** Number of events folded into this state, i.e. the stream version it reflects. */
  readonly version: number;
}

export type TransferState = { readonly status: 'none' } | ExistingTransfer;

export const initialState = (): TransferState => ({ status: 'none' });

/**
 * Folds one event into the state. Takes `{ type, data }` only, so the same function applies the
 * events `decide` just returned and the envelopes read back from the store or Kafka. Events are
 * facts and are never rejected here; one that cannot follow the current state (a verdict on a
 * transfer never requested, a second verdict) is ignored.
 */
export function evolve(state: TransferState, event: TransferEventPayload): TransferState {
  switch (event.type) {
    case 'TransferRequested':
      if (state.status !== 'none') return state;
      return { status: 'pending', ...event.data, failureCode: undefined, version: 1 };
    case 'TransferCompleted':
      if (state.status !== 'pending') return state;
      return { ...state, status: 'completed', version: state.version + 1 };
    case 'TransferFailed':
      if (state.status !== 'pending') return state;
      return {
        ...state,
        status: 'failed',
        failureCode: event.data.failureCode,
        version: state.version + 1,
      };
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
