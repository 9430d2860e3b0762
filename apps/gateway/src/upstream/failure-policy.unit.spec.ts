import { ejectsInstance } from './failure-policy';

describe('ejectsInstance: only an unreachable or silent instance is ejected', () => {
  it.each([400, 401, 404, 409, 412, 422, 429, 500, 502, 503, 504])(
    'given an answer %i, then the instance stays in rotation',
    (status) => {
      expect(ejectsInstance({ kind: 'answered', status })).toBe(false);
    },
  );

  it('given a timeout or a connection error, then the instance is ejected', () => {
    expect(ejectsInstance({ kind: 'timeout' })).toBe(true);
    expect(ejectsInstance({ kind: 'connection-error', code: 'ECONNREFUSED' })).toBe(true);
    expect(ejectsInstance({ kind: 'connection-error' })).toBe(true);
  });

  it('given a request its client cancelled, then the instance is not judged', () => {
    expect(ejectsInstance({ kind: 'cancelled' })).toBe(false);
  });
});
