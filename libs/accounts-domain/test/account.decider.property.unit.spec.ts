import {
  decide,
  evolve,
  initialState,
  type AccountCommand,
  type AccountErrorCode,
  type AccountState,
} from '@cqrs/accounts-domain';
import { accountEventRegistry, type NewAccountEvent } from '@cqrs/events';
import fc from 'fast-check';

const accountId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const actors = ['alice', 'bob'] as const;

const amount = fc.oneof(
  fc.constantFrom(0, -1, 1, 999_999_999, 1_000_000_000, 1_000_000_001, 0.5, Number.NaN),
  fc.integer({ min: 1, max: 1_000_000_000 }),
  fc.integer({ min: 1, max: 100 }),
);
const actor = fc.constantFrom(...actors);
const command: fc.Arbitrary<AccountCommand> = fc.oneof(
  actor.map(
    (a) => ({ type: 'OpenAccount', accountId, actorId: a, ownerId: a, currency: 'EUR' }) as const,
  ),
  fc
    .record({ actorId: actor, amount })
    .map((c) => ({ type: 'DepositMoney', accountId, ...c }) as const),
  fc
    .record({ actorId: actor, amount })
    .map((c) => ({ type: 'WithdrawMoney', accountId, ...c }) as const),
  actor.map((a) => ({ type: 'CloseAccount', accountId, actorId: a }) as const),
);

/** An independent, naive model of the rules, to compare the decider with. */
interface Model {
  owner?: string;
  balance: number;
  closed: boolean;
  version: number;
}

function expectedOutcome(model: Model, c: AccountCommand): AccountErrorCode | 'ok' {
  if (c.type === 'OpenAccount') return model.owner === undefined ? 'ok' : 'ACCOUNT_ALREADY_EXISTS';
  const validAmount = (n: number) => Number.isInteger(n) && n >= 1 && n <= 1_000_000_000;
  if (c.type !== 'CloseAccount' && !validAmount(c.amount)) return 'ACCOUNT_INVALID_AMOUNT';
  if (model.owner !== c.actorId) return 'ACCOUNT_NOT_FOUND';
  if (model.closed) return 'ACCOUNT_CLOSED';
  if (c.type === 'WithdrawMoney' && c.amount > model.balance) return 'ACCOUNT_INSUFFICIENT_FUNDS';
  if (c.type === 'CloseAccount' && model.balance !== 0) return 'ACCOUNT_BALANCE_NOT_ZERO';
  return 'ok';
}

function applyToModel(model: Model, c: AccountCommand): Model {
  const next = { ...model, version: model.version + 1 };
  switch (c.type) {
    case 'OpenAccount':
      return { ...next, owner: c.ownerId };
    case 'DepositMoney':
      return { ...next, balance: model.balance + c.amount };
    case 'WithdrawMoney':
      return { ...next, balance: model.balance - c.amount };
    case 'CloseAccount':
      return { ...next, closed: true };
  }
}

const stateOf = (model: Model): AccountState =>
  model.owner === undefined
    ? { status: 'none' }
    : {
        status: model.closed ? 'closed' : 'open',
        accountId,
        ownerId: model.owner,
        currency: 'EUR',
        balance: model.balance,
        version: model.version,
      };

describe('account decider (properties)', () => {
  it('given any command sequence from two actors, when decided in turn, then the rules hold and folding the events reproduces the state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = initialState();
        let model: Model = { balance: 0, closed: false, version: 0 };
        const history: NewAccountEvent[] = [];

        for (const c of commands) {
          const decision = decide(c, state);
          const expected = expectedOutcome(model, c);
          expect(decision.ok ? 'ok' : decision.error.code).toBe(expected);
          if (!decision.ok) continue;

          for (const event of decision.events) {
            // Every produced event must satisfy its published schema (what the store would accept).
            const envelope = {
              eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
              streamId: accountId,
              streamVersion: history.length + 1,
              occurredAt: '2025-01-01T00:00:00Z',
              metadata: { correlationId: 'c', causationId: 'c', actorId: c.actorId },
              ...event,
            };
            expect(accountEventRegistry.parseEvent(envelope).ok).toBe(true);
            history.push(event);
          }
          state = decision.events.reduce(evolve, state);
          model = applyToModel(model, c);
          expect(model.balance).toBeGreaterThanOrEqual(0);
          expect(state).toEqual(stateOf(model));
        }
        expect(history.reduce(evolve, initialState())).toEqual(stateOf(model));
      }),
      { numRuns: 300 },
    );
  });
});
