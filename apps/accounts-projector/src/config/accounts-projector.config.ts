import { z } from 'zod';
import { topics } from '@cqrs/events';
import {
  dataServiceEnv,
  envPositiveInt,
  parseConfig,
  PRODUCTION_SECRET_MIN_LENGTH,
  refuseDevelopmentSecrets,
} from '@cqrs/platform';

/** Every setting of the service, named as its environment variable; parsed once at boot. */
const schema = z
  .object({
    ...dataServiceEnv(3002),
    /** One image, one setting: run the projector, the query API, or both in one process. */
    ROLE: z.enum(['projector', 'query', 'all']).default('all'),
    INTERNAL_TOKEN: z.string().min(16, 'a shared secret of at least 16 characters'),
    ACCOUNTS_EVENTS_TOPIC: z.string().min(1).default(topics.accountEvents),
    KAFKA_TOPIC_PARTITIONS: envPositiveInt(3),
    KAFKA_GROUP_ID: z
      .string()
      .regex(/^[a-zA-Z0-9._-]+$/)
      .default('accounts-projector'),
    READ_MODEL_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/)
      .default('accounts_rm'),
    PROJECTOR_CHUNK_SIZE: envPositiveInt(2_000),
    PROJECTOR_PARTITIONS_CONCURRENTLY: envPositiveInt(3),
    /** The projector role reports not-ready while its lag exceeds this many events. */
    PROJECTOR_MAX_LAG: envPositiveInt(10_000),
    /**
     * A killed instance's partitions move after this long; 6 s is Kafka's minimum and keeps the
     * read model's freeze after a crash short (heartbeats and retries follow: consumerSettings).
     */
    KAFKA_SESSION_TIMEOUT_MS: envPositiveInt(6_000),
    // Fetch as soon as anything is there (freshest read model); raise both to trade read-your-writes
    // latency for bigger, cheaper batches (docs/benchmarks.md has a measured example).
    KAFKA_FETCH_MIN_BYTES: envPositiveInt(1),
    KAFKA_FETCH_MAX_WAIT_MS: envPositiveInt(250),
    /** Default wait for X-Consistency-Token and for /internal/positions without timeoutMs. */
    CONSISTENCY_WAIT_MS: envPositiveInt(5_000),
    /** Upper bound of any wait a caller may ask for. */
    CONSISTENCY_MAX_WAIT_MS: envPositiveInt(30_000),
  })
  .superRefine(
    refuseDevelopmentSecrets({
      secrets: { INTERNAL_TOKEN: PRODUCTION_SECRET_MIN_LENGTH },
      urls: ['DATABASE_URL'],
    }),
  );

export type AccountsProjectorConfig = z.output<typeof schema>;

export const loadConfig = (env: NodeJS.ProcessEnv): AccountsProjectorConfig =>
  parseConfig(schema, env);
