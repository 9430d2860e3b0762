import type { NewTransferEvent } from '@cqrs/events';
import { transferError, type TransferError } from './transfer.errors';

/** What `decide` answers: the events to append, or the domain error that refuses the command. */
export type TransferDecision =
  | { readonly ok: true; readonly events: readonly NewTransferEvent[] }
  | { readonly ok: false; readonly error: TransferError };

export const accept = (...events: NewTransferEvent[]): TransferDecision => ({ ok: true, events });
export const reject = (...[code, message]: Parameters<typeof transferError>): TransferDecision => ({
  ok: false,
  error: transferError(code, message),
});
