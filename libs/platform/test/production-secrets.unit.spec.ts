import { z } from 'zod';
import { ConfigError, dataServiceEnv, envNonNegativeInt, parseConfig } from '../src';
import { refuseDevelopmentSecrets } from '../src/config/production-secrets';

/** A service schema shaped like the real ones: a shared secret and a database URL. */
const schema = z
  .object({ ...dataServiceEnv(3000), INTERNAL_TOKEN: z.string().min(16) })
  .superRefine(
    refuseDevelopmentSecrets({ secrets: { INTERNAL_TOKEN: 32 }, urls: ['DATABASE_URL'] }),
  );

const base = {
  KAFKA_BROKERS: 'kafka:9092',
  DATABASE_URL: 'postgres://svc:dev-only-svc-password@postgres:5432/svc',
  INTERNAL_TOKEN: 'dev-only-internal-token-change-me',
};
const REAL_TOKEN = 'Zq3v9-real-production-token-of-40-chars!';

const failure = (env: Record<string, string>): string => {
  try {
    parseConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

it('runs on the development values outside production', () => {
  expect(parseConfig(schema, base).INTERNAL_TOKEN).toBe(base.INTERNAL_TOKEN);
  expect(parseConfig(schema, { ...base, NODE_ENV: 'test' }).NODE_ENV).toBe('test');
});

it('refuses every development secret with NODE_ENV=production, naming each variable', () => {
  const message = failure({ ...base, NODE_ENV: 'production' });
  expect(message).toMatch(/INTERNAL_TOKEN: .*development value/);
  expect(message).toMatch(/DATABASE_URL: .*development password/);
  // The value itself is never echoed into logs.
  expect(message).not.toContain('dev-only-svc-password');
  expect(message).not.toContain(base.INTERNAL_TOKEN);
});

it('refuses a production secret shorter than its minimum', () => {
  const message = failure({
    ...base,
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://svc:s3cret-from-vault@postgres/svc',
    INTERNAL_TOKEN: 'only-twenty-chars-xx',
  });
  expect(message).toContain('INTERNAL_TOKEN: at least 32 bytes with NODE_ENV=production');
  expect(message).not.toContain('DATABASE_URL');
});

it('accepts real secrets in production (a URL without password too: peer or certificate auth)', () => {
  for (const url of [
    'postgres://svc:s3cret-from-vault@postgres/svc',
    'postgres://svc@postgres/svc',
  ])
    expect(
      parseConfig(schema, {
        ...base,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        INTERNAL_TOKEN: REAL_TOKEN,
      }).INTERNAL_TOKEN,
    ).toBe(REAL_TOKEN);
});

it('recognises a percent-encoded development password', () => {
  const message = failure({
    ...base,
    NODE_ENV: 'production',
    INTERNAL_TOKEN: REAL_TOKEN,
    DATABASE_URL: 'postgres://svc:%64ev-only-x@postgres/svc',
  });
  expect(message).toMatch(/DATABASE_URL: .*development password/);
});

it('reads an empty number as an error, not as 0 ("off")', () => {
  const limit = z.object({ LIMIT: envNonNegativeInt(100) });
  expect(parseConfig(limit, {}).LIMIT).toBe(100);
  expect(parseConfig(limit, { LIMIT: '0' }).LIMIT).toBe(0);
  expect(parseConfig(limit, { LIMIT: '250' }).LIMIT).toBe(250);
  for (const bad of ['', ' ', '-1', '1.5', 'ten'])
    expect(() => parseConfig(limit, { LIMIT: bad })).toThrow(/LIMIT: a whole number >= 0/);
});
