import {
  decide,
  evolve,
  initialState,
  type TransferCommand,
  type TransferState,
} from '@cqrs/transfers-domain';
import { TRANSFER_FAILURE_CODES, transferEventRegistry, type NewTransferEvent } from '@cqrs/events';
import fc from 'fast-check';

const transferId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const accounts = ['0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11', '5c2e7a10-3f4b-4d8e-9a1c-2b3d4e5f6a7b'];
const actor = fc.constantFrom('alice', 'bob');
const account = fc.constantFrom(...accounts);
const amount = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.integer({ min: 1, max: 1_000_000_001 }),
);
const source = fc.option(fc.record({ ownerId: actor, currency: fc.constantFrom('EUR', 'CHF') }), {
  nil: undefined,
});
const command: fc.Arbitrary<TransferCommand> = fc.oneof(
  fc
    .record({ actorId: actor, fromAccountId: account, toAccountId: account, amount, source })
    .map((c) => ({ type: 'RequestTransfer', transferId, ...c }) as const),
  fc.constant({ type: 'CompleteTransfer', transferId } as const),
  fc
    .constantFrom(...TRANSFER_FAILURE_CODES)
    .map((failureCode) => ({ type: 'FailTransfer', transferId, failureCode }) as const),
);

const TERMINAL = new Set(['TransferCompleted', 'TransferFailed']);

describe('transfer decider, any sequence of commands', () => {
  it('given any command sequence, when decided in turn, then every event is valid, one request at most, one verdict at most and only after it', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        let state: TransferState = initialState();
        const emitted: NewTransferEvent[] = [];
        for (const c of commands) {
          const decision = decide(c, state);
          if (!decision.ok) continue;
          for (const event of decision.events) {
            // Whatever the decider emits, the registry accepts: no event a consumer would reject.
            const envelope = {
              eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
              streamId: transferId,
              streamVersion: emitted.length + 1,
              occurredAt: '2025-01-01T00:00:00Z',
              metadata: { correlationId: 'c', causationId: 'c', actorId: 'process' },
              ...event,
            };
            expect(transferEventRegistry.parseEvent(envelope).ok).toBe(true);
            state = evolve(state, event);
            emitted.push(event);
          }
        }
        const types = emitted.map((e) => e.type);
        expect(types.filter((t) => t === 'TransferRequested').length).toBeLessThanOrEqual(1);
        expect(types.filter((t) => TERMINAL.has(t)).length).toBeLessThanOrEqual(1);
        // The stream is [Requested] or [Requested, verdict]: nothing before the request.
        if (types.length > 0) expect(types[0]).toBe('TransferRequested');
        expect(state.status === 'none' ? 0 : state.version).toBe(emitted.length);
        const last = types[types.length - 1];
        const expected =
          last === undefined
            ? 'none'
            : last === 'TransferRequested'
              ? 'pending'
              : last === 'TransferCompleted'
                ? 'completed'
                : 'failed';
        expect(state.status).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
