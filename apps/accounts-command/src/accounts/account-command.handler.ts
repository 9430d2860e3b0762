import { accountEventRegistry, type NewAccountEvent } from '@cqrs/events';
import { CommandHandler, type PgEventStore } from '@cqrs/event-store';
import {
  decide,
  evolve,
  initialState,
  type AccountCommand,
  type AccountError,
  type AccountState,
} from '@cqrs/accounts-domain';
import type { ConsistencyTokens } from '@cqrs/platform';
import { respondToAccountCommand } from './account-command.responses';

export type AccountCommandHandler = CommandHandler<
  AccountCommand,
  AccountState,
  NewAccountEvent,
  AccountError
>;

/** Thrown when the store holds an event the registry rejects: a corrupt stream, never input. */
export class CorruptStreamError extends Error {}

/** The accounts decider plugged into the generic load-decide-append handler. */
export function createAccountCommandHandler(
  store: PgEventStore,
  tokens: ConsistencyTokens,
  options: { maxQueuedPerStream?: number } = {},
): AccountCommandHandler {
  return new CommandHandler({
    ...options,
    store,
    decider: { decide, evolve, initialState },
    decode: (stored) => {
      // Stored events are validated and upcast (AccountOpened v1 -> v2) like any other input.
      const parsed = accountEventRegistry.parseEvent(stored);
      if (!parsed.ok)
        throw new CorruptStreamError(`stored event failed to parse: ${parsed.error.message}`);
      return parsed.event;
    },
    isNotFound: (error) => error.code === 'ACCOUNT_NOT_FOUND',
    respond: (outcome, context) => respondToAccountCommand(outcome, context, tokens),
  });
}
