import { z } from 'zod';
import { envBrokers, envLogLevel, envPort, envPostgresUrl, parseConfig } from '@cqrs/platform';

/** Every setting of the service, named as its environment variable; parsed once at boot. */
const schema = z.object({
  PORT: envPort(3001),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: envPostgresUrl,
  KAFKA_BROKERS: envBrokers,
  LOG_LEVEL: envLogLevel,
});

export type AccountsCommandConfig = z.output<typeof schema>;

export const loadConfig = (env: NodeJS.ProcessEnv): AccountsCommandConfig =>
  parseConfig(schema, env);
