import type { EventPayload, NewEvent } from '@cqrs/events';
import type { StoredEvent } from '../append/append.types';

/**
 * The emmett-style decider a command service plugs into the generic handler: pure functions
 * only. `evolve` takes `{ type, data }`, so it folds both what `decide` returns and what the
 * store hands back (after upcasting).
 */
export interface Decider<Command, State, Event extends NewEvent, Error> {
  initialState: () => State;
  decide: (
    command: Command,
    state: State,
  ) =>
    | { readonly ok: true; readonly events: readonly Event[] }
    | { readonly ok: false; readonly error: Error };
  evolve: (state: State, event: EventPayload<Event>) => State;
}

/** Turns a stored event into the decider's event type (validation and upcasting), or fails. */
export type EventDecoder<Event extends NewEvent> = (stored: StoredEvent) => EventPayload<Event>;
