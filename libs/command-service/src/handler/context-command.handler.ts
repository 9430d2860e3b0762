import type { ContextDescriptor, DomainError } from '@cqrs/context';
import type { EventPayload, NewEvent } from '@cqrs/events';
import { CommandHandler, type PgEventStore } from '@cqrs/event-store';
import type { ConsistencyTokens } from '@cqrs/platform';
import { commandResponder } from './command-responses';

/** Thrown when the store holds an event the registry rejects: a corrupt stream, never input. */
export class CorruptStreamError extends Error {}

/** The context's decider plugged into the generic load-decide-append handler. */
export function createContextCommandHandler<
  Command,
  State,
  Event extends NewEvent,
  Error extends DomainError,
>(
  context: ContextDescriptor<Command, State, Event, Error>,
  store: PgEventStore,
  tokens: ConsistencyTokens,
  options: { maxQueuedPerStream?: number } = {},
): CommandHandler<Command, State, Event, Error> {
  const { decider, events, isNotFound } = context.aggregate;
  return new CommandHandler({
    ...options,
    store,
    decider,
    decode: (stored) => {
      // Stored events are validated and upcast like any other input.
      const parsed = events.parseEvent(stored);
      if (!parsed.ok)
        throw new CorruptStreamError(`stored event failed to parse: ${parsed.error.message}`);
      // The registry's envelope is the event with its metadata: a payload of the same union.
      return parsed.event as unknown as EventPayload<Event>;
    },
    isNotFound,
    respond: commandResponder<Error>(context, tokens),
  });
}
