import { loadConfig } from '../src/config/accounts-projector.config';

const env = {
  KAFKA_BROKERS: 'kafka:9092',
  DATABASE_URL:
    'postgres://accounts_projector:dev-only-accounts-projector@postgres/accounts_projector',
  INTERNAL_TOKEN: 'dev-only-internal-token-change-me',
};

it('runs on the development secrets in development', () => {
  expect(loadConfig(env).INTERNAL_TOKEN).toBe(env.INTERNAL_TOKEN);
});

it('refuses them with NODE_ENV=production, naming the variables', () => {
  expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(
    /INTERNAL_TOKEN: .*development value[\s\S]*DATABASE_URL: .*development password/,
  );
});
