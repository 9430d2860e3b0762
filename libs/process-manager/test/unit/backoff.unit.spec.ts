import fc from 'fast-check';
import { backoffCeilingMs, backoffDelayMs, type BackoffPolicy } from '../../src';

const policy: BackoffPolicy = { baseMs: 200, maxMs: 10_000 };

describe('backoffDelayMs', () => {
  it('doubles from the base per failure and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffCeilingMs(n, policy))).toEqual([
      200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000,
    ]);
  });

  it('jitters downwards by at most half the ceiling', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(400);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(800);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(600);
  });

  it('stays within [ceiling/2, ceiling], never above the cap, for any failure count and draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (failures, draw, baseMs, extra) => {
          const p = { baseMs, maxMs: baseMs + extra };
          const ceiling = backoffCeilingMs(failures, p);
          const delay = backoffDelayMs(failures, p, () => draw);
          expect(ceiling).toBeLessThanOrEqual(p.maxMs);
          expect(ceiling).toBeGreaterThanOrEqual(baseMs);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(delay).toBeLessThanOrEqual(ceiling);
          expect(backoffCeilingMs(failures + 1, p)).toBeGreaterThanOrEqual(ceiling);
        },
      ),
    );
  });
});
