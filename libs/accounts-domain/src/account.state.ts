import type { AccountEventPayload } from '@cqrs/events';

export interface ExistingAccount {
  readonly status: 'open' | 'closed';
  readonly accountId: string;
  readonly ownerId: string;
  readonly currency: string;
  /** Minor units; always the `balanceAfter` of the last money event (events are the truth). */
  readonly balance: number;
  /** Number of events folded into this state, i.e. the stream version it reflects. */
  readonly version: number;
}

export type AccountState = { readonly status: 'none' } | ExistingAccount;

export const initialState = (): AccountState => ({ status: 'none' });

/**
 * Folds one event into the state. Takes `{ type, data }` only, so the same function applies the
 * events `decide` just returned and the envelopes read back from the store or Kafka.
 *
 * Events are facts and are never rejected here. One that cannot follow the current state (money
 * moved before the account was opened) is ignored: such a stream is not an account, and the
 * decider answers ACCOUNT_NOT_FOUND for it.
 */
export function evolve(state: AccountState, event: AccountEventPayload): AccountState {
  switch (event.type) {
    case 'AccountOpened':
      if (state.status !== 'none') return state;
      return {
        status: 'open',
        accountId: event.data.accountId,
        ownerId: event.data.ownerId,
        currency: event.data.currency,
        balance: 0,
        version: 1,
      };
    case 'MoneyDeposited':
    case 'MoneyWithdrawn':
    case 'AccountDebitedForTransfer':
    case 'AccountCreditedForTransfer':
    case 'AccountRefundedForTransfer':
      if (state.status === 'none') return state;
      return { ...state, balance: event.data.balanceAfter, version: state.version + 1 };
    case 'AccountClosed':
      if (state.status === 'none') return state;
      return { ...state, status: 'closed', version: state.version + 1 };
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
