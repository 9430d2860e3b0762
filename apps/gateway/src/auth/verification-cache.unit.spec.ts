import type { JwtVerifier } from './jwt-verifier';
import { cachedVerifier } from './verification-cache';

describe('cachedVerifier', () => {
  let clock = 1_000_000;
  const calls: string[] = [];
  const inner: JwtVerifier = async (token) => {
    calls.push(token);
    if (token === 'bad') return { ok: false, reason: 'invalid', detail: 'forged' };
    return { ok: true, subject: `sub-of-${token}`, expiresAt: clock + 120_000 };
  };

  beforeEach(() => {
    calls.length = 0;
  });

  it('given a verified token, when it comes again, then no second signature check runs', async () => {
    const verify = cachedVerifier(inner, { now: () => clock });
    expect(await verify('t1')).toMatchObject({ ok: true, subject: 'sub-of-t1' });
    expect(await verify('t1')).toMatchObject({ ok: true, subject: 'sub-of-t1' });
    expect(calls).toEqual(['t1']);
  });

  it('given a refused token, when it comes again, then it is checked again (failures are not cached)', async () => {
    const verify = cachedVerifier(inner, { now: () => clock });
    expect((await verify('bad')).ok).toBe(false);
    expect((await verify('bad')).ok).toBe(false);
    expect(calls).toEqual(['bad', 'bad']);
  });

  it('given an entry older than maxAge or past exp, when the token comes, then it is verified anew', async () => {
    const verify = cachedVerifier(inner, { now: () => clock, maxAgeMs: 60_000 });
    await verify('t2');
    clock += 61_000;
    await verify('t2');
    expect(calls).toEqual(['t2', 't2']);
    const short = cachedVerifier(
      async () => ({ ok: true, subject: 's', expiresAt: clock + 1_000 }),
      { now: () => clock },
    );
    await short('t3');
    clock += 2_000;
    const inner2 = jest.fn(async () => ({
      ok: false as const,
      reason: 'expired' as const,
      detail: 'expired',
    }));
    const expiring = cachedVerifier(inner2, { now: () => clock });
    expect((await expiring('t3')).ok).toBe(false);
  });

  it('keeps at most maxEntries tokens', async () => {
    const verify = cachedVerifier(inner, { now: () => clock, maxEntries: 2 });
    await verify('a');
    await verify('b');
    await verify('c');
    await verify('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
