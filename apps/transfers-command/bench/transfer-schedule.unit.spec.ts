import { dueAtMs, maxDebitsPerAccount, preferWaitSeconds, transferPair } from './transfer-schedule';

describe('transferPair', () => {
  it('given 6 accounts, then consecutive transfers use disjoint pairs and flip direction each lap', () => {
    const pairs = Array.from({ length: 7 }, (_, i) => transferPair(i, 6));
    expect(pairs).toEqual([
      { from: 0, to: 1 },
      { from: 2, to: 3 },
      { from: 4, to: 5 },
      { from: 1, to: 0 },
      { from: 3, to: 2 },
      { from: 5, to: 4 },
      { from: 0, to: 1 },
    ]);
  });

  it('given N accounts, then an account is touched again only after N/2 transfers', () => {
    const accounts = 101; // odd: the last account is left out
    const lastSeen = new Map<number, number>();
    for (let i = 0; i < 1_000; i++) {
      const { from, to } = transferPair(i, accounts);
      expect(from).not.toBe(to);
      for (const account of [from, to]) {
        expect(account).toBeLessThan(100);
        const seen = lastSeen.get(account);
        if (seen !== undefined) expect(i - seen).toBe(50);
        lastSeen.set(account, i);
      }
    }
  });

  it('given fewer than two accounts, then it refuses', () => {
    expect(() => transferPair(0, 1)).toThrow('at least two accounts');
  });

  it('never debits an account more often than maxDebitsPerAccount allows', () => {
    const transfers = 777;
    const accounts = 40;
    const debits = new Map<number, number>();
    for (let i = 0; i < transfers; i++) {
      const { from } = transferPair(i, accounts);
      debits.set(from, (debits.get(from) ?? 0) + 1);
    }
    expect(Math.max(...debits.values())).toBeLessThanOrEqual(
      maxDebitsPerAccount(transfers, accounts),
    );
  });
});

describe('dueAtMs', () => {
  it('spaces an open loop evenly at its rate', () => {
    expect([0, 1, 2, 100].map((i) => dueAtMs(i, 50))).toEqual([0, 20, 40, 2_000]);
  });
});

describe('preferWaitSeconds', () => {
  it('rounds the budget left up to whole seconds within the contract range', () => {
    expect(preferWaitSeconds(10_000)).toBe(10);
    expect(preferWaitSeconds(60_000)).toBe(10);
    expect(preferWaitSeconds(9_001)).toBe(10);
    expect(preferWaitSeconds(9_000)).toBe(9);
    expect(preferWaitSeconds(1)).toBe(1);
  });

  it('gives no wait once the budget is spent', () => {
    expect(preferWaitSeconds(0)).toBeUndefined();
    expect(preferWaitSeconds(-5)).toBeUndefined();
  });
});
