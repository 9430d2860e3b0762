import { z } from 'zod';

/** Reusable zod pieces for environment variables (all env values arrive as strings). */
export const envPort = (fallback: number) =>
  z.coerce.number().int().min(1).max(65_535).default(fallback);

export const envBrokers = z
  .string()
  .min(1, 'a comma-separated list of host:port')
  .transform((raw) =>
    raw
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  );

export const envPostgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL');

export const envLogLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const envPositiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

/**
 * A whole number >= 0 where 0 usually means "off". Spelled out on purpose: a coerced empty value
 * (`RATE_LIMIT_PER_IP=`) would read as 0 and switch a protection off without a word.
 */
export const envNonNegativeInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'a whole number >= 0 (0 switches it off)')
    .transform(Number)
    .default(fallback);

/** `production` switches on the checks that refuse development secrets (production-secrets.ts). */
export const envNodeEnv = z.string().min(1).default('development');

/** What every HTTP service reads the same way; spread into its own schema. */
export const httpServiceEnv = (port: number) => ({
  NODE_ENV: envNodeEnv,
  PORT: envPort(port),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: envLogLevel,
  /** One pino line per request (registerAccessLog); `false` where a proxy or mesh logs them already. */
  ACCESS_LOG: envBoolean(true),
});

/** ...plus the two dependencies every service with its own database and Kafka has. */
export const dataServiceEnv = (port: number) => ({
  ...httpServiceEnv(port),
  DATABASE_URL: envPostgresUrl,
  KAFKA_BROKERS: envBrokers,
});

/**
 * How services create the topics they publish to or consume (ensureTopics): explicit, never by
 * the broker's auto-creation. Event topics keep records forever by default (-1): rebuilds
 * replay them from offset 0.
 */
export const topicEnv = () => ({
  KAFKA_TOPIC_PARTITIONS: envPositiveInt(3),
  KAFKA_REPLICATION_FACTOR: envPositiveInt(1),
  KAFKA_MIN_INSYNC_REPLICAS: envPositiveInt(1),
  KAFKA_EVENTS_RETENTION_MS: z.coerce
    .number()
    .int()
    .min(-1)
    .refine((v) => v !== 0, '-1 (forever) or a positive number of ms')
    .default(-1),
});
