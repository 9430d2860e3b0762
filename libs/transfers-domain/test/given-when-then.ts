import {
  decide,
  evolve,
  initialState,
  type TransferCommand,
  type TransferErrorCode,
} from '@cqrs/transfers-domain';
import type { NewTransferEvent, TransferEventPayload } from '@cqrs/events';

/**
 * Emmett-style decider specification: `given(history).when(command).then(events | errorCode)`.
 * The history is folded with `evolve`, exactly as the command handler does after loading.
 */
export function given(history: readonly TransferEventPayload[]) {
  return {
    when(command: TransferCommand) {
      const state = history.reduce(evolve, initialState());
      const decision = decide(command, state);
      return {
        then(expected: readonly NewTransferEvent[] | TransferErrorCode): void {
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
