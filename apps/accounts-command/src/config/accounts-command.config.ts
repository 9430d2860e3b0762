import { z } from 'zod';
import { topics } from '@cqrs/events';
import {
  dataServiceEnv,
  envBoolean,
  envPositiveInt,
  parseConfig,
  PRODUCTION_SECRET_MIN_LENGTH,
  refuseDevelopmentSecrets,
} from '@cqrs/platform';

/** Every setting of the service, named as its environment variable; parsed once at boot. */
const schema = z
  .object({
    ...dataServiceEnv(3001),
    DATABASE_POOL_SIZE: envPositiveInt(12),
    /** Where the relay publishes; tests and benchmarks use a topic of their own. */
    ACCOUNTS_EVENTS_TOPIC: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,249}$/)
      .default(topics.accountEvents),
    KAFKA_TOPIC_PARTITIONS: envPositiveInt(3),
    /** Shared with the gateway only: proves a call (and its X-Actor-Id) comes from it. */
    INTERNAL_TOKEN: z.string().min(16, 'at least 16 characters (shared with the gateway)'),
    /** Run the outbox relay in this process (one leader is elected among all instances). */
    OUTBOX_RELAY: envBoolean(true),
    OUTBOX_BATCH_SIZE: envPositiveInt(500),
    OUTBOX_POLL_MS: envPositiveInt(1_000),
    /** Readiness fails when the oldest unpublished event is older than this (0 = never). */
    OUTBOX_MAX_LAG_MS: z.coerce.number().int().min(0).default(0),
    APPEND_MAX_BATCH: envPositiveInt(256),
    /** One transaction at a time gathers bigger batches: on 2 cores that beat 2 or 4 (docs/benchmarks.md). */
    APPEND_MAX_IN_FLIGHT: envPositiveInt(1),
    /** Fault injection for tests only: exit right after the first append commits. */
    FAULT_CRASH_AFTER_COMMIT: envBoolean(false),
  })
  .superRefine(
    refuseDevelopmentSecrets({
      secrets: { INTERNAL_TOKEN: PRODUCTION_SECRET_MIN_LENGTH },
      urls: ['DATABASE_URL'],
    }),
  );

export type AccountsCommandConfig = z.output<typeof schema>;

export const loadConfig = (env: NodeJS.ProcessEnv): AccountsCommandConfig =>
  parseConfig(schema, env);
