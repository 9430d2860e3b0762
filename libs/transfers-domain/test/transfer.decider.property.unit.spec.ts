import {
  decide,
  evolve,
  initialState,
  type TransferCommand,
  type TransferState,
} from '@cqrs/transfers-domain';
import { transferEventRegistry } from '@cqrs/events';
import fc from 'fast-check';

const transferId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const actor = fc.constantFrom('alice', 'bob');
const title = fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 201 }));
const command: fc.Arbitrary<TransferCommand> = fc.oneof(
  fc
    .record({ actorId: actor, title })
    .map((c) => ({ type: 'CreateTransfer', transferId, ownerId: c.actorId, ...c }) as const),
  fc
    .record({ actorId: actor, title })
    .map((c) => ({ type: 'RenameTransfer', transferId, ...c }) as const),
);

describe('transfer decider, any sequence of commands', () => {
  it('given any command sequence from two actors, when decided in turn, then every event is valid and the state version counts them', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        let state: TransferState = initialState();
        let emitted = 0;
        for (const c of commands) {
          const decision = decide(c, state);
          if (!decision.ok) continue;
          for (const event of decision.events) {
            // Whatever the decider emits, the registry accepts: no event a consumer would reject.
            const envelope = {
              eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
              streamId: transferId,
              streamVersion: emitted + 1,
              occurredAt: '2025-01-01T00:00:00Z',
              metadata: { correlationId: 'c', causationId: 'c', actorId: c.actorId },
              ...event,
            };
            expect(transferEventRegistry.parseEvent(envelope).ok).toBe(true);
            state = evolve(state, event);
            emitted += 1;
          }
        }
        expect(state.status === 'none' ? 0 : state.version).toBe(emitted);
      }),
      { numRuns: 300 },
    );
  });
});
