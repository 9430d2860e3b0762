import { FixedWindowLimiter } from './fixed-window-limiter';

describe('FixedWindowLimiter', () => {
  it('allows `limit` hits per key and window, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowLimiter(2, { windowMs: 60_000, now: () => now });
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

  it('given a flood of fresh keys in one window, then it tracks at most maxKeys', () => {
    const limiter = new FixedWindowLimiter(5, { maxKeys: 100 });
    for (let i = 0; i < 100_000; i++) limiter.hit(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(limiter.size).toBe(100);
  });

  it('given a full table, then the least recently seen key goes and a busy key keeps its count', () => {
    const limiter = new FixedWindowLimiter(3, { maxKeys: 3 });
    for (let i = 0; i < 3; i++) limiter.hit('busy');
    limiter.hit('a');
    limiter.hit('b');
    limiter.hit('busy'); // the 4th hit: over the limit, and now the most recent key
    expect(limiter.hit('c')).toBeUndefined(); // full: forgets 'a', the least recent
    expect(limiter.size).toBe(3);
    expect(limiter.hit('busy')).toBeDefined(); // still limited: its count survived
  });
});
