import type { AccountCommand } from '@cqrs/accounts-domain';
import type { AccountEventPayload } from '@cqrs/events';
import { given } from './given-when-then';

/**
 * The legs of a transfer on one account: what the decider answers the transfer process. The
 * system sends them, so no owner is checked; the account's own rules (open, funds, currency,
 * limit) are.
 */
const accountId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const transferId = '0b6e3a52-8f1d-4c7e-9a20-5d4c3b2a1f00';
const system = 'system';

const opened: AccountEventPayload = {
  type: 'AccountOpened',
  data: { accountId, ownerId: 'alice', currency: 'EUR' },
};
const deposited = (amount: number, balanceAfter = amount): AccountEventPayload => ({
  type: 'MoneyDeposited',
  data: { accountId, amount, balanceAfter },
});
const withdrawn = (amount: number, balanceAfter: number): AccountEventPayload => ({
  type: 'MoneyWithdrawn',
  data: { accountId, amount, balanceAfter },
});
const debited = (amount: number, balanceAfter: number): AccountEventPayload => ({
  type: 'AccountDebitedForTransfer',
  data: { accountId, transferId, amount, balanceAfter },
});
const closed: AccountEventPayload = { type: 'AccountClosed', data: { accountId } };

const debit = (amount: number): AccountCommand => ({
  type: 'DebitForTransfer',
  accountId,
  actorId: system,
  transferId,
  amount,
});
const credit = (amount: number, currency = 'EUR'): AccountCommand => ({
  type: 'CreditForTransfer',
  accountId,
  actorId: system,
  transferId,
  amount,
  currency,
});
const refund = (amount: number): AccountCommand => ({
  type: 'RefundForTransfer',
  accountId,
  actorId: system,
  transferId,
  amount,
});

describe('DebitForTransfer', () => {
  it('given an open account with funds, when debited by the system (not its owner), then AccountDebitedForTransfer v1 with the balance after', () => {
    given([opened, deposited(100)])
      .when(debit(30))
      .then([
        {
          type: 'AccountDebitedForTransfer',
          schemaVersion: 1,
          data: { accountId, transferId, amount: 30, balanceAfter: 70 },
        },
      ]);
  });

  it('given exactly the amount, when debited, then the balance reaches zero', () => {
    given([opened, deposited(30)])
      .when(debit(30))
      .then([
        {
          type: 'AccountDebitedForTransfer',
          schemaVersion: 1,
          data: { accountId, transferId, amount: 30, balanceAfter: 0 },
        },
      ]);
  });

  it('given no account, when debited, then ACCOUNT_NOT_FOUND', () => {
    given([]).when(debit(1)).then('ACCOUNT_NOT_FOUND');
  });

  it('given a closed account, when debited, then ACCOUNT_CLOSED', () => {
    given([opened, closed]).when(debit(1)).then('ACCOUNT_CLOSED');
  });

  it('given a balance lower than the amount, when debited, then ACCOUNT_INSUFFICIENT_FUNDS', () => {
    given([opened, deposited(100), withdrawn(50, 50)])
      .when(debit(51))
      .then('ACCOUNT_INSUFFICIENT_FUNDS');
  });

  it.each([0, -5, 1.5, 1_000_000_001])(
    'given an open account, when debited %p, then ACCOUNT_INVALID_AMOUNT',
    (amount) => {
      given([opened, deposited(100)])
        .when(debit(amount))
        .then('ACCOUNT_INVALID_AMOUNT');
    },
  );
});

describe('CreditForTransfer', () => {
  it('given an open account of anyone, when credited in its currency, then AccountCreditedForTransfer v1 with the balance after', () => {
    given([opened, deposited(5)])
      .when(credit(30))
      .then([
        {
          type: 'AccountCreditedForTransfer',
          schemaVersion: 1,
          data: { accountId, transferId, amount: 30, balanceAfter: 35 },
        },
      ]);
  });

  it('given no account, when credited, then ACCOUNT_NOT_FOUND', () => {
    given([]).when(credit(1)).then('ACCOUNT_NOT_FOUND');
  });

  it('given a closed account, when credited, then ACCOUNT_CLOSED', () => {
    given([opened, closed]).when(credit(1)).then('ACCOUNT_CLOSED');
  });

  it('given an account in EUR, when credited in USD, then ACCOUNT_CURRENCY_MISMATCH', () => {
    given([opened]).when(credit(1, 'USD')).then('ACCOUNT_CURRENCY_MISMATCH');
  });

  it('given a balance near the largest safe integer, when credited past it, then ACCOUNT_BALANCE_LIMIT', () => {
    given([opened, deposited(1, Number.MAX_SAFE_INTEGER - 10)])
      .when(credit(11))
      .then('ACCOUNT_BALANCE_LIMIT');
  });

  it('given a balance near the largest safe integer, when credited up to it, then it is credited', () => {
    given([opened, deposited(1, Number.MAX_SAFE_INTEGER - 10)])
      .when(credit(10))
      .then([
        {
          type: 'AccountCreditedForTransfer',
          schemaVersion: 1,
          data: { accountId, transferId, amount: 10, balanceAfter: Number.MAX_SAFE_INTEGER },
        },
      ]);
  });

  it('given an open account, when credited with a malformed currency, then ACCOUNT_INVALID_CURRENCY', () => {
    given([opened]).when(credit(1, 'eur')).then('ACCOUNT_INVALID_CURRENCY');
  });

  it('given an open account, when credited 0, then ACCOUNT_INVALID_AMOUNT', () => {
    given([opened]).when(credit(0)).then('ACCOUNT_INVALID_AMOUNT');
  });
});

describe('RefundForTransfer', () => {
  it('given a debited account, when refunded, then AccountRefundedForTransfer v1 restores the balance', () => {
    given([opened, deposited(100), debited(30, 70)])
      .when(refund(30))
      .then([
        {
          type: 'AccountRefundedForTransfer',
          schemaVersion: 1,
          data: { accountId, transferId, amount: 30, balanceAfter: 100 },
        },
      ]);
  });

  it('given an account closed after the debit, when refunded, then the money still comes back', () => {
    given([opened, deposited(30), debited(30, 0), closed])
      .when(refund(30))
      .then([
        {
          type: 'AccountRefundedForTransfer',
          schemaVersion: 1,
          data: { accountId, transferId, amount: 30, balanceAfter: 30 },
        },
      ]);
  });

  it('given no account, when refunded, then ACCOUNT_NOT_FOUND', () => {
    given([]).when(refund(1)).then('ACCOUNT_NOT_FOUND');
  });

  it('given a balance near the largest safe integer, when refunded past it, then ACCOUNT_BALANCE_LIMIT', () => {
    given([opened, deposited(1, Number.MAX_SAFE_INTEGER)])
      .when(refund(1))
      .then('ACCOUNT_BALANCE_LIMIT');
  });

  it('given an open account, when refunded 0, then ACCOUNT_INVALID_AMOUNT', () => {
    given([opened]).when(refund(0)).then('ACCOUNT_INVALID_AMOUNT');
  });
});
