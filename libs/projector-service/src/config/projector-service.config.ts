import { eventsTopicEnv } from '@cqrs/context';
import { z } from 'zod';
import { eventTopic } from '@cqrs/events';
import {
  dataServiceEnv,
  envPositiveInt,
  parseConfig,
  PRODUCTION_SECRET_MIN_LENGTH,
  refuseDevelopmentSecrets,
  topicEnv,
} from '@cqrs/platform';

/** One image, one setting: run the projector, the query API, or both in one process. */
export const PROJECTOR_ROLES = ['projector', 'query', 'all'] as const;
export type ProjectorRole = (typeof PROJECTOR_ROLES)[number];

/** What every projector service reads the same way, named as its environment variable. */
const projectorServiceEnv = (port: number, context: string) => ({
  ...dataServiceEnv(port),
  ROLE: z.enum(PROJECTOR_ROLES).default('all'),
  INTERNAL_TOKEN: z.string().min(16, 'a shared secret of at least 16 characters'),
  ...topicEnv(),
  KAFKA_GROUP_ID: z
    .string()
    .regex(/^[a-zA-Z0-9._-]+$/)
    .default(`${context}-projector`),
  READ_MODEL_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,40}$/)
    .default(`${context}_rm`),
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
});

type ProjectorServiceEnv = z.output<z.ZodObject<ReturnType<typeof projectorServiceEnv>>>;

/** The parsed settings: the generic ones by variable name, the context's own normalised. */
export interface ProjectorServiceConfig extends ProjectorServiceEnv {
  /** `<service>` in logs, metrics and the Kafka client id: `<context>-projector`. */
  readonly service: string;
  /** The topic the projections consume (`<CONTEXT>_EVENTS_TOPIC`). */
  readonly eventsTopic: string;
}

/** What the settings need of a descriptor: the name the context's variables derive from. */
export interface ProjectorContextNames {
  readonly name: string;
}

/** `<CONTEXT>_EVENTS_TOPIC`, the same variable the context's command service reads. */
export const eventsTopicEnvName = (context: ProjectorContextNames): string =>
  eventsTopicEnv(context.name);

export interface ProjectorServiceConfigOptions {
  /** The port when PORT is unset (each service of a local stack has its own). */
  readonly defaultPort: number;
}

/** The projector service's schema for one context; keys are the variable names. */
export function projectorServiceConfigSchema(
  context: ProjectorContextNames,
  options: ProjectorServiceConfigOptions,
) {
  const topicName = eventsTopicEnvName(context);
  const contextShape = z.object({
    [topicName]: z.string().min(1).default(eventTopic(context.name)),
  });
  return z
    .object(projectorServiceEnv(options.defaultPort, context.name))
    .superRefine(
      refuseDevelopmentSecrets({
        secrets: { INTERNAL_TOKEN: PRODUCTION_SECRET_MIN_LENGTH },
        urls: ['DATABASE_URL'],
      }),
    )
    .and(contextShape)
    .transform((env): ProjectorServiceConfig => ({
      ...env,
      service: `${context.name}-projector`,
      eventsTopic: String(env[topicName]),
    }));
}

/** Parses the environment once, at the composition root; throws naming every bad variable. */
export const loadProjectorServiceConfig = (
  context: ProjectorContextNames,
  env: NodeJS.ProcessEnv,
  options: ProjectorServiceConfigOptions,
): ProjectorServiceConfig => parseConfig(projectorServiceConfigSchema(context, options), env);
