import { runServiceToExit } from '@cqrs/testing';
import { everyUpstream } from '../../support/upstream-env';

/**
 * Every built service, started as compose would start it with the repository's development
 * secrets but NODE_ENV=production: each refuses to start and names what to set. (The unit tests
 * of each config cover the rules; this proves every process actually applies them at boot.)
 */
const DEV_TOKEN = 'dev-only-internal-token-change-me';
const services: Array<[string, Record<string, string>, string[]]> = [
  [
    'accounts-command',
    {
      KAFKA_BROKERS: '127.0.0.1:9',
      DATABASE_URL:
        'postgres://accounts_command:dev-only-accounts-command@127.0.0.1:9/accounts_command',
      INTERNAL_TOKEN: DEV_TOKEN,
    },
    ['INTERNAL_TOKEN', 'DATABASE_URL'],
  ],
  [
    'accounts-projector',
    {
      KAFKA_BROKERS: '127.0.0.1:9',
      DATABASE_URL:
        'postgres://accounts_query:dev-only-accounts-query@127.0.0.1:9/accounts_projector',
      INTERNAL_TOKEN: DEV_TOKEN,
      ROLE: 'query',
    },
    ['INTERNAL_TOKEN', 'DATABASE_URL'],
  ],
  [
    'gateway',
    {
      ...everyUpstream('http://127.0.0.1:9'),
      INTERNAL_TOKEN: DEV_TOKEN,
      AUTH_JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789',
    },
    ['INTERNAL_TOKEN', 'AUTH_JWT_SECRET'],
  ],
];

jest.setTimeout(30_000);

it.each(services)(
  '%s refuses development secrets with NODE_ENV=production',
  async (app, env, variables) => {
    const { code, output } = await runServiceToExit(app, { ...env, NODE_ENV: 'production' });
    expect(code).toBe(1);
    for (const name of variables) expect(output).toMatch(new RegExp(`${name}: .*development`));
    expect(output).not.toContain(DEV_TOKEN);
  },
);
