import type { TransferEventPayload } from '@cqrs/events';

export interface ExistingTransfer {
  readonly status: 'created';
  readonly transferId: string;
  readonly ownerId: string;
  readonly title: string;
  /** Number of events folded into this state, i.e. the stream version it reflects. */
  readonly version: number;
}

export type TransferState = { readonly status: 'none' } | ExistingTransfer;

export const initialState = (): TransferState => ({ status: 'none' });

/**
 * Folds one event into the state. Takes `{ type, data }` only, so the same function applies the
 * events `decide` just returned and the envelopes read back from the store or Kafka. Events are
 * facts and are never rejected here; one that cannot follow the current state is ignored.
 */
export function evolve(state: TransferState, event: TransferEventPayload): TransferState {
  switch (event.type) {
    case 'TransferCreated':
      if (state.status !== 'none') return state;
      return {
        status: 'created',
        transferId: event.data.transferId,
        ownerId: event.data.ownerId,
        title: event.data.title,
        version: 1,
      };
    case 'TransferRenamed':
      if (state.status === 'none') return state;
      return { ...state, title: event.data.title, version: state.version + 1 };
    // gen:evolve-cases (pnpm gen event adds a case here)
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
