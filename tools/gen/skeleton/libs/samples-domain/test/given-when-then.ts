import {
  decide,
  evolve,
  initialState,
  type SampleCommand,
  type SampleErrorCode,
} from '@cqrs/samples-domain';
import type { NewSampleEvent, SampleEventPayload } from '@cqrs/events';

/**
 * Emmett-style decider specification: `given(history).when(command).then(events | errorCode)`.
 * The history is folded with `evolve`, exactly as the command handler does after loading.
 */
export function given(history: readonly SampleEventPayload[]) {
  return {
    when(command: SampleCommand) {
      const state = history.reduce(evolve, initialState());
      const decision = decide(command, state);
      return {
        then(expected: readonly NewSampleEvent[] | SampleErrorCode): void {
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
