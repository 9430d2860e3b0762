import { judgeAttempt } from './failure-policy';

describe('judgeAttempt: an instance is judged by its reachability, never by its answers', () => {
  it.each([400, 401, 404, 409, 412, 422, 429, 500, 502, 503, 504])(
    'given an answer %i, then the instance stays in rotation',
    (status) => {
      expect(judgeAttempt({ kind: 'answered', status })).toBe('keep');
    },
  );

  it('given a connection error, then the instance is ejected', () => {
    expect(judgeAttempt({ kind: 'connection-error', code: 'ECONNREFUSED' })).toBe('eject');
    expect(judgeAttempt({ kind: 'connection-error' })).toBe('eject');
  });

  it('given a timeout, then its health probe decides', () => {
    expect(judgeAttempt({ kind: 'timeout' })).toBe('probe');
  });

  it('given a request its client cancelled, then the instance is not judged', () => {
    expect(judgeAttempt({ kind: 'cancelled' })).toBe('keep');
  });
});
