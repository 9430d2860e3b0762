import { z } from 'zod';
import { topics } from '@cqrs/events';
import {
  dataServiceEnv,
  envBoolean,
  envPositiveInt,
  parseConfig,
  PRODUCTION_SECRET_MIN_LENGTH,
  refuseDevelopmentSecrets,
  topicEnv,
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
    ...topicEnv(),
    /** Shared with the gateway only: proves a call (and its X-Actor-Id) comes from it. */
    INTERNAL_TOKEN: z.string().min(16, 'at least 16 characters (shared with the gateway)'),
    /** Run the outbox relay in this process (one leader is elected among all instances). */
    OUTBOX_RELAY: envBoolean(true),
    OUTBOX_BATCH_SIZE: envPositiveInt(500),
    OUTBOX_POLL_MS: envPositiveInt(1_000),
    /** Readiness fails when the oldest unpublished event is older than this (0 = never). */
    OUTBOX_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(60),
    /** The relay's session: a statement running longer than this fails (and is retried). */
    OUTBOX_STATEMENT_TIMEOUT_MS: envPositiveInt(30_000),
    APPEND_MAX_BATCH: envPositiveInt(256),
    /** One transaction at a time gathers bigger batches: on 2 cores that beat 2 or 4 (docs/benchmarks.md). */
    APPEND_MAX_IN_FLIGHT: envPositiveInt(1),
    /** Appends waiting for a transaction at most; beyond it 503 COMMAND_QUEUE_FULL at once. */
    APPEND_MAX_QUEUED: envPositiveInt(4096),
    /** Reruns of a group commit the database rolled back for a deadlock or serialization failure. */
    APPEND_TRANSIENT_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
    /** Commands on one account admitted at once (running and waiting); beyond it 409 CONCURRENCY_CONTENDED. */
    COMMAND_MAX_QUEUED_PER_ACCOUNT: envPositiveInt(64),
    /** How long an Idempotency-Key holds its first outcome; then the key is free and purged. */
    IDEMPOTENCY_TTL_SECONDS: envPositiveInt(86_400),
    /** How often expired idempotency records are deleted. */
    IDEMPOTENCY_PURGE_INTERVAL_MS: envPositiveInt(60_000),
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
