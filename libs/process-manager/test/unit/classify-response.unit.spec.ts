import { classifyResponse } from '../../src';

const problem = (code: string) =>
  JSON.stringify({ type: 't', title: 'x', status: 409, detail: 'd', code });

describe('classifyResponse', () => {
  it('accepts any 2xx with its JSON body (or none)', () => {
    expect(classifyResponse(201, 'application/json', '{"version":3}')).toEqual({
      kind: 'accepted',
      body: { version: 3 },
    });
    expect(classifyResponse(204, '', '')).toEqual({ kind: 'accepted', body: undefined });
    expect(classifyResponse(200, 'text/plain', 'ok')).toEqual({
      kind: 'accepted',
      body: undefined,
    });
  });

  it('rejects on a 4xx problem+json with its code', () => {
    expect(
      classifyResponse(409, 'application/problem+json; charset=utf-8', problem('ACCOUNT_CLOSED')),
    ).toEqual({
      kind: 'rejected',
      status: 409,
      code: 'ACCOUNT_CLOSED',
    });
  });

  it.each([
    [500, 'application/problem+json', problem('INTERNAL')],
    [502, 'text/html', 'bad gateway'],
    [503, 'application/problem+json', problem('UNAVAILABLE')],
    [429, 'application/problem+json', problem('RATE_LIMITED')],
    [408, 'application/problem+json', problem('TIMEOUT')],
    [404, 'text/html', 'not found'],
    [400, 'application/problem+json', '{"title":"no code"}'],
    [400, 'application/problem+json', 'not json'],
    [301, '', ''],
  ])('retries on %i %s', (status, type, body) => {
    expect(classifyResponse(status, type, body)).toMatchObject({ kind: 'retry' });
  });
});
