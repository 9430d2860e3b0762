import { envWord, eventsTopicEnv } from '@cqrs/context';
import { z } from 'zod';
import { eventTopic } from '@cqrs/events';
import {
  dataServiceEnv,
  envBoolean,
  envPositiveInt,
  parseConfig,
  PRODUCTION_SECRET_MIN_LENGTH,
  refuseDevelopmentSecrets,
  topicEnv,
} from '@cqrs/platform';

/** What every command service reads the same way, named as its environment variable. */
const commandServiceEnv = (port: number) => ({
  ...dataServiceEnv(port),
  DATABASE_POOL_SIZE: envPositiveInt(12),
  ...topicEnv(),
  /** Shared with the gateway only: proves a call (and its X-Actor-Id) comes from it. */
  INTERNAL_TOKEN: z.string().min(16, 'at least 16 characters (shared with the gateway)'),
  /**
   * Held by the internal services that act as the system (never by the gateway): opens the
   * context's internal commands and summary under /internal/. Unset, those routes do not exist.
   */
  SYSTEM_TOKEN: z
    .string()
    .min(16, 'at least 16 characters (shared with the services that act as the system)')
    .optional(),
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
  /** How long an Idempotency-Key holds its first outcome; then the key is free and purged. */
  IDEMPOTENCY_TTL_SECONDS: envPositiveInt(86_400),
  /** How often expired idempotency records are deleted. */
  IDEMPOTENCY_PURGE_INTERVAL_MS: envPositiveInt(60_000),
  /** Fault injection for tests only: exit right after the first append commits. */
  FAULT_CRASH_AFTER_COMMIT: envBoolean(false),
});

type CommandServiceEnv = z.output<z.ZodObject<ReturnType<typeof commandServiceEnv>>>;

/** The parsed settings: the generic ones by variable name, the context's own normalised. */
export interface CommandServiceConfig extends CommandServiceEnv {
  /** `<service>` in logs, metrics and the Kafka client id: `<context>-command`. */
  readonly service: string;
  /** Where the relay publishes (`<CONTEXT>_EVENTS_TOPIC`); tests and benchmarks use their own. */
  readonly eventsTopic: string;
  /**
   * Commands on one stream admitted at once (running and waiting), from
   * `COMMAND_MAX_QUEUED_PER_<AGGREGATE>`; beyond it 409 CONCURRENCY_CONTENDED.
   */
  readonly maxQueuedPerStream: number;
}

/** What the settings need of a descriptor: the names the context's variables derive from. */
export interface ContextNames {
  readonly name: string;
  readonly aggregate: { readonly name: string };
}

/** The variables whose names come from the descriptor: `<CONTEXT>_EVENTS_TOPIC`, ... */
export function contextEnvNames(context: ContextNames): {
  eventsTopic: string;
  maxQueuedPerStream: string;
} {
  return {
    eventsTopic: eventsTopicEnv(context.name),
    maxQueuedPerStream: `COMMAND_MAX_QUEUED_PER_${envWord(context.aggregate.name)}`,
  };
}

export interface CommandServiceConfigOptions {
  /** The port when PORT is unset (each service of a local stack has its own). */
  readonly defaultPort: number;
}

/** The command service's schema for one context; keys are the variable names. */
export function commandServiceConfigSchema(
  context: ContextNames,
  options: CommandServiceConfigOptions,
) {
  const names = contextEnvNames(context);
  const contextShape = z.object({
    [names.eventsTopic]: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,249}$/)
      .default(eventTopic(context.name)),
    [names.maxQueuedPerStream]: envPositiveInt(64),
  });
  return z
    .object(commandServiceEnv(options.defaultPort))
    .superRefine(
      refuseDevelopmentSecrets({
        secrets: {
          INTERNAL_TOKEN: PRODUCTION_SECRET_MIN_LENGTH,
          SYSTEM_TOKEN: PRODUCTION_SECRET_MIN_LENGTH,
        },
        urls: ['DATABASE_URL'],
      }),
    )
    .superRefine((env, ctx) => {
      // The gateway holds INTERNAL_TOKEN; the same value would let it act as the system.
      if (env.SYSTEM_TOKEN !== undefined && env.SYSTEM_TOKEN === env.INTERNAL_TOKEN)
        ctx.addIssue({
          code: 'custom',
          path: ['SYSTEM_TOKEN'],
          message: 'must differ from INTERNAL_TOKEN (the gateway must not hold it)',
        });
    })
    .and(contextShape)
    .transform((env): CommandServiceConfig => ({
      ...env,
      service: `${context.name}-command`,
      eventsTopic: String(env[names.eventsTopic]),
      maxQueuedPerStream: Number(env[names.maxQueuedPerStream]),
    }));
}

/** Parses the environment once, at the composition root; throws naming every bad variable. */
export const loadCommandServiceConfig = (
  context: ContextNames,
  env: NodeJS.ProcessEnv,
  options: CommandServiceConfigOptions,
): CommandServiceConfig => parseConfig(commandServiceConfigSchema(context, options), env);
