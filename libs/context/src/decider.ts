import type { EventPayload, NewEvent } from '@cqrs/events';

/**
 * The emmett-style decider a context plugs into the generic command handler: pure functions
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

/** What a decider refuses with: a stable code (the edge maps it to a status) and a message. */
export interface DomainError {
  readonly code: string;
  readonly message: string;
}
