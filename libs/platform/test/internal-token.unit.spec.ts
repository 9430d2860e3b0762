import { hasInternalToken } from '../src';

const TOKEN = 'an-internal-token-0123456789';

it('opens operational details to the internal token as X-Internal-Token or a bearer token', () => {
  expect(hasInternalToken({ 'x-internal-token': TOKEN }, TOKEN)).toBe(true);
  expect(hasInternalToken({ authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe(true);
  expect(hasInternalToken({ authorization: `bearer ${TOKEN}` }, TOKEN)).toBe(true);
});

it('refuses anything else', () => {
  expect(hasInternalToken({}, TOKEN)).toBe(false);
  expect(hasInternalToken({ 'x-internal-token': `${TOKEN}x` }, TOKEN)).toBe(false);
  expect(hasInternalToken({ authorization: `Bearer ${TOKEN}x` }, TOKEN)).toBe(false);
  expect(hasInternalToken({ authorization: `Basic ${TOKEN}` }, TOKEN)).toBe(false);
  expect(hasInternalToken({ authorization: TOKEN }, TOKEN)).toBe(false);
  // A wrong X-Internal-Token is not rescued by a right bearer token: one credential, one answer.
  const both = { 'x-internal-token': 'wrong', authorization: `Bearer ${TOKEN}` };
  expect(hasInternalToken(both, TOKEN)).toBe(false);
});
