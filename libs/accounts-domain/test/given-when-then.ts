import {
  decide,
  evolve,
  initialState,
  type AccountCommand,
  type AccountErrorCode,
} from '@cqrs/accounts-domain';
import type { AccountEventPayload, NewAccountEvent } from '@cqrs/events';

/**
 * Emmett-style decider specification: `given(history).when(command).then(events | errorCode)`.
 * The history is folded with `evolve`, exactly as the command handler does after loading.
 */
export function given(history: readonly AccountEventPayload[]) {
  return {
    when(command: AccountCommand) {
      const state = history.reduce(evolve, initialState());
      const decision = decide(command, state);
      return {
        then(expected: readonly NewAccountEvent[] | AccountErrorCode): void {
          if (typeof expected === 'string') {
            expect(decision).toEqual({
              ok: false,
              error: { code: expected, message: expect.any(String) },
            });
          } else {
            expect(decision).toEqual({ ok: true, events: expected });
          }
        },
      };
    },
  };
}
