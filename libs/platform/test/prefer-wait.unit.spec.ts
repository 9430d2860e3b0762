import { parsePreferWait } from '@cqrs/platform';

describe('parsePreferWait', () => {
  it.each([
    [undefined, { kind: 'absent' }],
    ['', { kind: 'absent' }],
    ['return=minimal', { kind: 'absent' }],
    ['wait=5', { kind: 'wait', seconds: 5 }],
    ['WAIT = 10', { kind: 'wait', seconds: 10 }],
    ['respond-async, wait=3', { kind: 'wait', seconds: 3 }],
    ['wait="7"', { kind: 'wait', seconds: 7 }],
    ['wait=2;foo=bar', { kind: 'wait', seconds: 2 }],
    ['wait=0', { kind: 'wait', seconds: 0 }],
    ['wait=1.5', { kind: 'invalid', value: '1.5' }],
    ['wait=-1', { kind: 'invalid', value: '-1' }],
    ['wait=abc', { kind: 'invalid', value: 'abc' }],
    ['wait', { kind: 'invalid', value: '' }],
    ['wait=1234567', { kind: 'invalid', value: '1234567' }],
  ])('reads %p as %p', (header, expected) => {
    expect(parsePreferWait(header)).toEqual(expected);
  });

  it('reads the first wait among repeated headers', () => {
    expect(parsePreferWait(['return=minimal', 'wait=4', 'wait=9'])).toEqual({
      kind: 'wait',
      seconds: 4,
    });
  });
});
