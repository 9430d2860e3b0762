import { FixedWindowLimiter } from './fixed-window-limiter';

describe('FixedWindowLimiter', () => {
  it('allows `limit` hits per key and window, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowLimiter(2, 60_000, () => now);
    expect(limiter.hit('alice')).toBeUndefined();
    expect(limiter.hit('alice')).toBeUndefined();
    expect(limiter.hit('bob')).toBeUndefined();
    now += 15_000;
    expect(limiter.hit('alice')).toEqual({ retryAfterSeconds: 45 });
    now += 45_000;
    expect(limiter.hit('alice')).toBeUndefined();
  });

  it('is disabled by a limit of 0', () => {
    const limiter = new FixedWindowLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.hit('k')).toBeUndefined();
  });
});
