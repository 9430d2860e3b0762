import { isDefinitelyRolledBack, isTransientAppendError } from './append.errors';

describe('append error classification', () => {
  it('reruns only deadlocks and serialization failures the server reported as ERROR', () => {
    expect(isTransientAppendError({ severity: 'ERROR', code: '40P01' })).toBe(true);
    expect(isTransientAppendError({ severity: 'ERROR', code: '40001' })).toBe(true);
    expect(isTransientAppendError({ severity: 'ERROR', code: '23505' })).toBe(false);
    expect(isTransientAppendError({ severity: 'FATAL', code: '40P01' })).toBe(false);
    expect(isTransientAppendError(new Error('Connection terminated unexpectedly'))).toBe(false);
  });

  it('counts a FATAL or a dead socket as an unknown outcome, a plain ERROR as rolled back', () => {
    expect(isDefinitelyRolledBack({ severity: 'ERROR', code: '57014' })).toBe(true);
    // pg_terminate_backend / shutdown: the commit may have happened before it.
    expect(isDefinitelyRolledBack({ severity: 'FATAL', code: '57P01' })).toBe(false);
    expect(isDefinitelyRolledBack(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDefinitelyRolledBack(undefined)).toBe(false);
  });
});
