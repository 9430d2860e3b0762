import { ConfigError } from '@cqrs/platform';
import { everyUpstream } from '../../test/support/upstream-env';
import { loadConfig } from './gateway.config';

const base = {
  ...everyUpstream('http://upstream:3000'),
  INTERNAL_TOKEN: 'dev-only-internal-token-change-me',
  AUTH_JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789',
};
const jwks = {
  ...base,
  AUTH_JWT_SECRET: undefined,
  AUTH_JWT_ALG: 'RS256',
  AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
  AUTH_JWT_ISSUER: 'https://id.example.com/',
  AUTH_JWT_AUDIENCE: 'ledger-api',
};

const refusal = (env: Record<string, string | undefined>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('secrets', () => {
  it('starts on the development values outside production', () => {
    expect(loadConfig(base).NODE_ENV).toBe('development');
  });

  it('refuses the development secrets with NODE_ENV=production, naming both variables', () => {
    const message = refusal({ ...base, NODE_ENV: 'production' });
    expect(message).toMatch(/INTERNAL_TOKEN: .*development value/);
    expect(message).toMatch(/AUTH_JWT_SECRET: .*development value/);
  });

  it('refuses a short INTERNAL_TOKEN in production', () => {
    const message = refusal({
      ...base,
      NODE_ENV: 'production',
      INTERNAL_TOKEN: 'sixteen-chars-ok',
      AUTH_JWT_SECRET: 'a-real-secret-from-the-vault-0123456789',
    });
    expect(message).toContain('INTERNAL_TOKEN: at least 32 bytes');
    expect(message).not.toContain('AUTH_JWT_SECRET');
  });
});

describe('JWT settings', () => {
  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ])('%s needs a secret of at least %i bytes', (alg, bytes) => {
    const short = 'x'.repeat(bytes - 1);
    expect(refusal({ ...base, AUTH_JWT_ALG: alg, AUTH_JWT_SECRET: short })).toContain(
      `AUTH_JWT_SECRET: at least ${bytes} bytes for ${alg}`,
    );
    expect(
      loadConfig({ ...base, AUTH_JWT_ALG: alg, AUTH_JWT_SECRET: 'x'.repeat(bytes) }).AUTH_JWT_ALG,
    ).toBe(alg);
  });

  it('counts bytes, not characters', () => {
    // 16 three-byte characters: 16 characters, 48 bytes.
    expect(loadConfig({ ...base, AUTH_JWT_SECRET: '€'.repeat(16) }).AUTH_JWT_SECRET).toHaveLength(
      16,
    );
  });

  it('JWKS mode requires the issuer and the audience', () => {
    const message = refusal({ ...jwks, AUTH_JWT_ISSUER: undefined, AUTH_JWT_AUDIENCE: undefined });
    expect(message).toContain('AUTH_JWT_ISSUER: required with RS256');
    expect(message).toContain('AUTH_JWT_AUDIENCE: required with RS256');
    expect(loadConfig(jwks).AUTH_JWKS_URL).toBe(jwks.AUTH_JWKS_URL);
  });

  it('JWKS over plain http only with the explicit development flag', () => {
    const http = { ...jwks, AUTH_JWKS_URL: 'http://127.0.0.1:8090/jwks.json' };
    expect(refusal(http)).toContain('AUTH_JWKS_URL: must be https');
    expect(loadConfig({ ...http, AUTH_JWKS_ALLOW_INSECURE_HTTP: 'true' }).AUTH_JWKS_URL).toBe(
      http.AUTH_JWKS_URL,
    );
  });
});

describe('TRUST_PROXY', () => {
  it('defaults to the socket address', () => {
    expect(loadConfig(base).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it('takes a hop count or a list of addresses and ranges', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(
      loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8,loopback' })
        .TRUST_PROXY,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback']);
  });

  it.each(['true', '*'])('refuses "%s" (trust everything)', (value) => {
    expect(refusal({ ...base, TRUST_PROXY: value })).toContain('TRUST_PROXY: trusting every proxy');
  });

  it('names entries that are not addresses', () => {
    expect(refusal({ ...base, TRUST_PROXY: '10.0.0.0/33,proxy.internal,1.2.3.4' })).toContain(
      'TRUST_PROXY: not an address, CIDR range or hop count: "10.0.0.0/33", "proxy.internal"',
    );
  });
});

it('an empty rate limit is an error, not "off"', () => {
  expect(refusal({ ...base, RATE_LIMIT_PER_IP: '' })).toContain('RATE_LIMIT_PER_IP');
  expect(loadConfig({ ...base, RATE_LIMIT_PER_IP: '0' }).RATE_LIMIT_PER_IP).toBe(0);
});
