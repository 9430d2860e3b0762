import { generateKeyPairSync } from 'node:crypto';
import { nodeRequire } from '../../test/support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { base64url, createLocalJWKSet, exportJWK, SignJWT } from 'jose';
import { createJwtVerifier } from './jwt-verifier';

const SECRET = new TextEncoder().encode('unit-test-secret-of-at-least-32-characters!');
const now = () => Math.floor(Date.now() / 1000);

const hs256 = (claims: Record<string, unknown>, key: Uint8Array = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);

const verifyHs = createJwtVerifier({ algorithm: 'HS256', key: SECRET });

describe('JWT verification (HS256 pinned)', () => {
  it('given a signed token with sub and exp, when verified, then the subject is the actor', async () => {
    const token = await hs256({ sub: 'alice', exp: now() + 60 });
    expect(await verifyHs(token)).toEqual({
      ok: true,
      subject: 'alice',
      expiresAt: expect.any(Number),
    });
  });

  it('refuses alg none (an unsigned token)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ sub: 'alice', exp: now() + 60 }));
    expect(await verifyHs(`${header}.${payload}.`)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a token without exp', async () => {
    expect(await verifyHs(await hs256({ sub: 'alice' }))).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a token without sub', async () => {
    expect(await verifyHs(await hs256({ exp: now() + 60 }))).toMatchObject({ ok: false });
  });

  it.each([
    ['a trailing space', 'alice '],
    ['a leading space', ' alice'],
    ['a tab', 'al\tice'],
    ['a line break', 'alice\r\nx-actor-id: bob'],
    ['non-ASCII', 'b\u00f6b'],
    ['a NUL', 'alice\u0000'],
    ['201 characters', 'a'.repeat(201)],
    ['an empty string', ''],
  ])('refuses a subject with %s (it would not reach a service as it is)', async (_what, sub) => {
    expect(await verifyHs(await hs256({ sub, exp: now() + 60 }))).toMatchObject({
      ok: false,
      reason: 'invalid-subject',
    });
  });

  it('accepts any visible ASCII subject up to 200 characters', async () => {
    for (const sub of ['!', '~'.repeat(200), 'auth0|5f7c8ec7c33c6c004bbafe82', 'a@b.c']) {
      expect(await verifyHs(await hs256({ sub, exp: now() + 60 }))).toMatchObject({
        ok: true,
        subject: sub,
      });
    }
  });

  it('refuses an expired token (beyond the clock tolerance)', async () => {
    const token = await hs256({ sub: 'alice', exp: now() - 30 });
    expect(await verifyHs(token)).toMatchObject({ ok: false, reason: 'expired' });
    const tolerant = createJwtVerifier({
      algorithm: 'HS256',
      key: SECRET,
      clockToleranceSeconds: 60,
    });
    expect(await tolerant(token)).toMatchObject({ ok: true });
  });

  it('refuses a forged signature (another secret, or a tampered payload)', async () => {
    const other = await hs256(
      { sub: 'alice', exp: now() + 60 },
      new TextEncoder().encode('x'.repeat(40)),
    );
    expect(await verifyHs(other)).toMatchObject({ ok: false, reason: 'invalid' });
    const [h, , s] = (await hs256({ sub: 'alice', exp: now() + 60 })).split('.');
    const tampered = base64url.encode(JSON.stringify({ sub: 'mallory', exp: now() + 60 }));
    expect(await verifyHs(`${h}.${tampered}.${s}`)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('checks iss and aud when configured', async () => {
    const verify = createJwtVerifier({
      algorithm: 'HS256',
      key: SECRET,
      issuer: 'https://id.example',
      audience: 'ledger',
    });
    const good = await hs256({
      sub: 'a',
      exp: now() + 60,
      iss: 'https://id.example',
      aud: 'ledger',
    });
    expect(await verify(good)).toMatchObject({ ok: true });
    for (const claims of [
      { iss: 'https://evil.example', aud: 'ledger' },
      { iss: 'https://id.example', aud: 'other' },
      { aud: 'ledger' },
      { iss: 'https://id.example' },
    ]) {
      expect(await verify(await hs256({ sub: 'a', exp: now() + 60, ...claims }))).toMatchObject({
        ok: false,
        reason: 'invalid',
      });
    }
  });

  it('refuses another HMAC strength than the pinned one', async () => {
    const token = await new SignJWT({ sub: 'a', exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(SECRET);
    expect(await verifyHs(token)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('JWT verification (RS256 pinned, keys from a JWKS)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let verify: ReturnType<typeof createJwtVerifier>;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    verify = createJwtVerifier({ algorithm: 'RS256', key: createLocalJWKSet({ keys: [jwk] }) });
  });

  it('accepts an RS256 token signed by the key in the set', async () => {
    const token = await new SignJWT({ sub: 'bob', exp: now() + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey);
    expect(await verify(token)).toEqual({
      ok: true,
      subject: 'bob',
      expiresAt: expect.any(Number),
    });
  });

  it('refuses an HS256 token, even one "signed" with the public key (algorithm confusion)', async () => {
    const pem = new TextEncoder().encode(publicKey.export({ type: 'spki', format: 'pem' }));
    const token = await new SignJWT({ sub: 'mallory', exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(pem);
    expect(await verify(token)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a token signed by a key outside the set', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = await new SignJWT({ sub: 'bob', exp: now() + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(stranger);
    expect(await verify(token)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
