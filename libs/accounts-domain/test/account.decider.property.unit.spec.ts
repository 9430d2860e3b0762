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
  // The legs of transfers, sent by the system (any account, no owner check).
  fc
    .record({ transferId: fc.uuid(), amount })
    .map((c) => ({ type: 'DebitForTransfer', accountId, actorId: 'system', ...c }) as const),
  fc
    .record({ transferId: fc.uuid(), amount, currency: fc.constantFrom('EUR', 'USD') })
    .map((c) => ({ type: 'CreditForTransfer', accountId, actorId: 'system', ...c }) as const),
  fc
    .record({ transferId: fc.uuid(), amount })
    .map((c) => ({ type: 'RefundForTransfer', accountId, actorId: 'system', ...c }) as const),
);

/** An independent, naive model of the rules, to compare the decider with. */
interface Model {
  owner?: string;
  balance: number;
  closed: boolean;
  version: number;
  /** What moved, by kind: the balance must always be what they add up to. */
  moved: {
    deposits: number;
    withdrawals: number;
    debits: number;
    credits: number;
    refunds: number;
  };
}

const validAmount = (n: number) => Number.isInteger(n) && n >= 1 && n <= 1_000_000_000;

function expectedOutcome(model: Model, c: AccountCommand): AccountErrorCode | 'ok' {
  if (c.type === 'OpenAccount') return model.owner === undefined ? 'ok' : 'ACCOUNT_ALREADY_EXISTS';
  if (c.type !== 'CloseAccount' && !validAmount(c.amount)) return 'ACCOUNT_INVALID_AMOUNT';
  switch (c.type) {
    case 'DebitForTransfer':
    case 'CreditForTransfer':
      if (model.owner === undefined) return 'ACCOUNT_NOT_FOUND';
      if (model.closed) return 'ACCOUNT_CLOSED';
      if (c.type === 'DebitForTransfer' && c.amount > model.balance)
        return 'ACCOUNT_INSUFFICIENT_FUNDS';
      if (c.type === 'CreditForTransfer' && c.currency !== 'EUR')
        return 'ACCOUNT_CURRENCY_MISMATCH';
      return 'ok';
    case 'RefundForTransfer':
      // A closed account takes a refund: the money must come back somewhere.
      return model.owner === undefined ? 'ACCOUNT_NOT_FOUND' : 'ok';
    default:
      if (model.owner !== c.actorId) return 'ACCOUNT_NOT_FOUND';
      if (model.closed) return 'ACCOUNT_CLOSED';
      if (c.type === 'WithdrawMoney' && c.amount > model.balance)
        return 'ACCOUNT_INSUFFICIENT_FUNDS';
      if (c.type === 'CloseAccount' && model.balance !== 0) return 'ACCOUNT_BALANCE_NOT_ZERO';
      return 'ok';
  }
}

function applyToModel(model: Model, c: AccountCommand): Model {
  const next = { ...model, version: model.version + 1 };
  const { moved } = model;
  switch (c.type) {
    case 'OpenAccount':
      return { ...next, owner: c.ownerId };
    case 'DepositMoney':
      return {
        ...next,
        balance: model.balance + c.amount,
        moved: { ...moved, deposits: moved.deposits + c.amount },
      };
    case 'WithdrawMoney':
      return {
        ...next,
        balance: model.balance - c.amount,
        moved: { ...moved, withdrawals: moved.withdrawals + c.amount },
      };
    case 'DebitForTransfer':
      return {
        ...next,
        balance: model.balance - c.amount,
        moved: { ...moved, debits: moved.debits + c.amount },
      };
    case 'CreditForTransfer':
      return {
        ...next,
        balance: model.balance + c.amount,
        moved: { ...moved, credits: moved.credits + c.amount },
      };
    case 'RefundForTransfer':
      return {
        ...next,
        balance: model.balance + c.amount,
        moved: { ...moved, refunds: moved.refunds + c.amount },
      };
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

/** The balance an event history implies, from each money event's amount and its sign. */
function signedSum(history: readonly NewAccountEvent[]): number {
  let sum = 0;
  for (const event of history) {
    switch (event.type) {
      case 'MoneyDeposited':
      case 'AccountCreditedForTransfer':
      case 'AccountRefundedForTransfer':
        sum += event.data.amount;
        break;
      case 'MoneyWithdrawn':
      case 'AccountDebitedForTransfer':
        sum -= event.data.amount;
        break;
      case 'AccountOpened':
      case 'AccountClosed':
        break;
    }
  }
  return sum;
}

describe('account decider (properties)', () => {
  it('given any command sequence from two actors and the system, when decided in turn, then the rules hold and folding the events reproduces the state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = initialState();
        let model: Model = {
          balance: 0,
          closed: false,
          version: 0,
          moved: { deposits: 0, withdrawals: 0, debits: 0, credits: 0, refunds: 0 },
        };
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
          expect(state).toEqual(stateOf(model));
          // Never negative, and exactly what moved in and out, counted from the events alone.
          const balance = state.status === 'none' ? 0 : state.balance;
          expect(balance).toBeGreaterThanOrEqual(0);
          expect(balance).toBe(signedSum(history));
          const { deposits, withdrawals, debits, credits, refunds } = model.moved;
          expect(balance).toBe(deposits - withdrawals - debits + credits + refunds);
        }
        expect(history.reduce(evolve, initialState())).toEqual(stateOf(model));
      }),
      { numRuns: 500 },
    );
  });
});
