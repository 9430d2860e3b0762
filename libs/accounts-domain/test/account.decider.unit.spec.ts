import type { AccountCommand } from '@cqrs/accounts-domain';
import type { AccountEventPayload } from '@cqrs/events';
import { given } from './given-when-then';

const accountId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const alice = 'alice';
const mallory = 'mallory';

const opened: AccountEventPayload = {
  type: 'AccountOpened',
  data: { accountId, ownerId: alice, currency: 'EUR' },
};
const deposited = (amount: number, balanceAfter: number): AccountEventPayload => ({
  type: 'MoneyDeposited',
  data: { accountId, amount, balanceAfter },
});
const withdrawn = (amount: number, balanceAfter: number): AccountEventPayload => ({
  type: 'MoneyWithdrawn',
  data: { accountId, amount, balanceAfter },
});
const closed: AccountEventPayload = { type: 'AccountClosed', data: { accountId } };

const open = (overrides: Partial<Extract<AccountCommand, { type: 'OpenAccount' }>> = {}) =>
  ({
    type: 'OpenAccount',
    accountId,
    actorId: alice,
    ownerId: alice,
    currency: 'EUR',
    ...overrides,
  }) as const;
const deposit = (amount: number, actorId = alice): AccountCommand => ({
  type: 'DepositMoney',
  accountId,
  actorId,
  amount,
});
const withdraw = (amount: number, actorId = alice): AccountCommand => ({
  type: 'WithdrawMoney',
  accountId,
  actorId,
  amount,
});
const close = (actorId = alice): AccountCommand => ({ type: 'CloseAccount', accountId, actorId });

describe('account decider', () => {
  describe('OpenAccount', () => {
    it('given no account, when opened, then AccountOpened v2 is recorded', () => {
      given([])
        .when(open())
        .then([
          {
            type: 'AccountOpened',
            schemaVersion: 2,
            data: { accountId, ownerId: alice, currency: 'EUR' },
          },
        ]);
    });

    it('given an open account, when opened again, then ACCOUNT_ALREADY_EXISTS', () => {
      given([opened]).when(open()).then('ACCOUNT_ALREADY_EXISTS');
    });

    it('given a closed account, when opened again, then ACCOUNT_ALREADY_EXISTS', () => {
      given([opened, closed]).when(open()).then('ACCOUNT_ALREADY_EXISTS');
    });

    it.each(['eur', 'EURO', ''])(
      'given no account, when opened with currency %p, then ACCOUNT_INVALID_CURRENCY',
      (currency) => {
        given([]).when(open({ currency })).then('ACCOUNT_INVALID_CURRENCY');
      },
    );

    it.each(['', 'x'.repeat(201)])(
      'given no account, when opened with ownerId of length %#, then ACCOUNT_INVALID_OWNER',
      (ownerId) => {
        given([]).when(open({ ownerId })).then('ACCOUNT_INVALID_OWNER');
      },
    );
  });

  describe('DepositMoney', () => {
    it('given an open account, when money is deposited, then MoneyDeposited carries balanceAfter', () => {
      given([opened, deposited(100, 100)])
        .when(deposit(2500))
        .then([
          {
            type: 'MoneyDeposited',
            schemaVersion: 1,
            data: { accountId, amount: 2500, balanceAfter: 2600 },
          },
        ]);
    });

    it('given no account, when depositing, then ACCOUNT_NOT_FOUND', () => {
      given([]).when(deposit(1)).then('ACCOUNT_NOT_FOUND');
    });

    it("given someone else's account, when depositing, then ACCOUNT_NOT_FOUND (no existence leak)", () => {
      given([opened]).when(deposit(1, mallory)).then('ACCOUNT_NOT_FOUND');
    });

    it("given someone else's closed account, when depositing, then ACCOUNT_NOT_FOUND, not ACCOUNT_CLOSED", () => {
      given([opened, closed]).when(deposit(1, mallory)).then('ACCOUNT_NOT_FOUND');
    });

    it('given a closed account, when depositing, then ACCOUNT_CLOSED', () => {
      given([opened, closed]).when(deposit(1)).then('ACCOUNT_CLOSED');
    });

    it.each([0, -1, 1.5, 1_000_000_001, Number.NaN, Number.POSITIVE_INFINITY])(
      'given an open account, when depositing %p, then ACCOUNT_INVALID_AMOUNT',
      (amount) => {
        given([opened]).when(deposit(amount)).then('ACCOUNT_INVALID_AMOUNT');
      },
    );

    it.each([1, 1_000_000_000])(
      'given an open account, when depositing the edge amount %p, then it is accepted',
      (amount) => {
        given([opened])
          .when(deposit(amount))
          .then([
            {
              type: 'MoneyDeposited',
              schemaVersion: 1,
              data: { accountId, amount, balanceAfter: amount },
            },
          ]);
      },
    );

    it('given a balance near the safe-integer limit, when depositing past it, then ACCOUNT_BALANCE_LIMIT', () => {
      const nearLimit = Number.MAX_SAFE_INTEGER - 10;
      given([opened, deposited(1, nearLimit)])
        .when(deposit(11))
        .then('ACCOUNT_BALANCE_LIMIT');
      given([opened, deposited(1, nearLimit)])
        .when(deposit(10))
        .then([
          {
            type: 'MoneyDeposited',
            schemaVersion: 1,
            data: { accountId, amount: 10, balanceAfter: Number.MAX_SAFE_INTEGER },
          },
        ]);
    });
  });

  describe('WithdrawMoney', () => {
    it('given enough funds, when withdrawing, then MoneyWithdrawn carries balanceAfter', () => {
      given([opened, deposited(3000, 3000)])
        .when(withdraw(1000))
        .then([
          {
            type: 'MoneyWithdrawn',
            schemaVersion: 1,
            data: { accountId, amount: 1000, balanceAfter: 2000 },
          },
        ]);
    });

    it('given exactly the balance, when withdrawing all of it, then the balance reaches zero', () => {
      given([opened, deposited(500, 500)])
        .when(withdraw(500))
        .then([
          {
            type: 'MoneyWithdrawn',
            schemaVersion: 1,
            data: { accountId, amount: 500, balanceAfter: 0 },
          },
        ]);
    });

    it('given too little money, when withdrawing, then ACCOUNT_INSUFFICIENT_FUNDS', () => {
      given([opened, deposited(500, 500), withdrawn(100, 400)])
        .when(withdraw(401))
        .then('ACCOUNT_INSUFFICIENT_FUNDS');
    });

    it('given no account, when withdrawing, then ACCOUNT_NOT_FOUND', () => {
      given([]).when(withdraw(1)).then('ACCOUNT_NOT_FOUND');
    });

    it("given someone else's funded account, when withdrawing, then ACCOUNT_NOT_FOUND", () => {
      given([opened, deposited(500, 500)])
        .when(withdraw(1, mallory))
        .then('ACCOUNT_NOT_FOUND');
    });

    it('given a closed account, when withdrawing, then ACCOUNT_CLOSED', () => {
      given([opened, closed]).when(withdraw(1)).then('ACCOUNT_CLOSED');
    });

    it('given an open account, when withdrawing a fractional amount, then ACCOUNT_INVALID_AMOUNT', () => {
      given([opened, deposited(500, 500)])
        .when(withdraw(0.5))
        .then('ACCOUNT_INVALID_AMOUNT');
    });
  });

  describe('CloseAccount', () => {
    it('given a zero balance, when closing, then AccountClosed is recorded', () => {
      given([opened, deposited(5, 5), withdrawn(5, 0)])
        .when(close())
        .then([{ type: 'AccountClosed', schemaVersion: 1, data: { accountId } }]);
    });

    it('given money on the account, when closing, then ACCOUNT_BALANCE_NOT_ZERO', () => {
      given([opened, deposited(5, 5)])
        .when(close())
        .then('ACCOUNT_BALANCE_NOT_ZERO');
    });

    it('given a closed account, when closing again, then ACCOUNT_CLOSED', () => {
      given([opened, closed]).when(close()).then('ACCOUNT_CLOSED');
    });

    it('given no account, when closing, then ACCOUNT_NOT_FOUND', () => {
      given([]).when(close()).then('ACCOUNT_NOT_FOUND');
    });

    it("given someone else's account, when closing, then ACCOUNT_NOT_FOUND", () => {
      given([opened]).when(close(mallory)).then('ACCOUNT_NOT_FOUND');
    });
  });
});
