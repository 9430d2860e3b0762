import { accountEventRegistry, type AccountEvent } from '@cqrs/events';
import { foldAccountEvents } from '../src/projection/accounts-fold';
import { storedEvent } from './support/account-events.fixture';

const ID = '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11';
const OTHER = '5f1e8b6c-2d4a-4f7e-8a3b-9c0d1e2f3a4b';
const ev = (id: string, v: number, type: string, data: Record<string, unknown>): AccountEvent => {
  const parsed = accountEventRegistry.parseEvent(
    storedEvent(id, v, type, { accountId: id, ...data }, `2025-01-01T00:00:0${v}.000Z`),
  );
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.event;
};

describe('foldAccountEvents', () => {
  it('given an opening and movements in one batch, then one insert holds the final state', () => {
    const folded = foldAccountEvents([
      ev(ID, 1, 'AccountOpened', { ownerId: 'u1', currency: 'EUR' }),
      ev(ID, 2, 'MoneyDeposited', { amount: 500, balanceAfter: 500 }),
      ev(ID, 3, 'MoneyWithdrawn', { amount: 200, balanceAfter: 300 }),
    ]);
    expect(folded.inserts).toEqual([
      expect.objectContaining({
        accountId: ID,
        balance: 300,
        version: 3,
        status: 'open',
        openedAt: '2025-01-01T00:00:01.000Z',
        updatedAt: '2025-01-01T00:00:03.000Z',
      }),
    ]);
    expect(folded.patches).toEqual([]);
    expect(folded.transactions.map((t) => [t.type, t.amount, t.balanceAfter, t.version])).toEqual([
      ['deposit', 500, 500, 2],
      ['withdrawal', 200, 300, 3],
    ]);
  });

  it('given events of accounts opened earlier, then one patch per account keeps the last values', () => {
    const folded = foldAccountEvents([
      ev(ID, 5, 'MoneyDeposited', { amount: 1, balanceAfter: 11 }),
      ev(OTHER, 2, 'AccountClosed', {}),
      ev(ID, 6, 'MoneyDeposited', { amount: 4, balanceAfter: 15 }),
    ]);
    expect(folded.inserts).toEqual([]);
    expect(folded.patches).toEqual([
      {
        accountId: ID,
        balance: 15,
        status: null,
        version: 6,
        updatedAt: '2025-01-01T00:00:06.000Z',
      },
      {
        accountId: OTHER,
        balance: null,
        status: 'closed',
        version: 2,
        updatedAt: '2025-01-01T00:00:02.000Z',
      },
    ]);
  });

  it('given a second opening of the same stream, then the first one stands', () => {
    const folded = foldAccountEvents([
      ev(ID, 1, 'AccountOpened', { ownerId: 'u1', currency: 'EUR' }),
      ev(ID, 2, 'AccountOpened', { ownerId: 'u2', currency: 'USD' }),
    ]);
    expect(folded.inserts).toEqual([expect.objectContaining({ ownerId: 'u1', version: 1 })]);
  });
});
