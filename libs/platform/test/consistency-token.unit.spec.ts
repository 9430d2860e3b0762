import fc from 'fast-check';
import { consistencyTokens, isConsistencyTokenShape } from '../src/http/consistency-token';

const tokens = consistencyTokens('a-shared-secret-of-enough-length');
const position = { streamId: '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11', version: 7 };

it('round-trips a position', () => {
  const token = tokens.encode(position);
  expect(tokens.decode(token)).toEqual(position);
  expect(isConsistencyTokenShape(token)).toBe(true);
});

it('refuses a token naming another stream or version with the original signature', () => {
  const [, signature] = tokens.encode(position).split('.');
  for (const forged of [
    { s: 'another-owners-account', v: 7 },
    { s: position.streamId, v: 8 },
  ]) {
    const payload = Buffer.from(JSON.stringify(forged)).toString('base64url');
    const token = `${payload}.${signature}`;
    expect(isConsistencyTokenShape(token)).toBe(true); // well formed...
    expect(tokens.decode(token)).toBeUndefined(); // ...but not ours
  }
});

it('refuses a token signed under another secret, and unsigned tokens', () => {
  const other = consistencyTokens('another-secret-of-enough-length');
  expect(tokens.decode(other.encode(position))).toBeUndefined();
  const unsigned = Buffer.from(JSON.stringify({ s: position.streamId, v: 7 })).toString(
    'base64url',
  );
  expect(tokens.decode(unsigned)).toBeUndefined();
  expect(isConsistencyTokenShape(unsigned)).toBe(false);
});

it('never throws on arbitrary input', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 600 }), (input) => {
      expect(tokens.decode(input)).toBeUndefined();
      expect(typeof isConsistencyTokenShape(input)).toBe('boolean');
    }),
  );
});

it('refuses a short secret', () => {
  expect(() => consistencyTokens('short')).toThrow(/too short/);
});
