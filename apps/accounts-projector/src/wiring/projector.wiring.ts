import { accountEventRegistry, deadLetterTopic, type AccountEvent } from '@cqrs/events';
import {
  createKafkaClient,
  ensureTopics,
  eventTopicSpec,
  type Logger,
  type TopicSettings,
  type TopicSpec,
} from '@cqrs/platform';
import {
  checkedSchema,
  migrateProjectorTables,
  type DecodeEvent,
  type Projection,
  type ProjectorLogger,
} from '@cqrs/projections';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { AccountsProjectorConfig } from '../config/accounts-projector.config';
import { accountsProjection } from '../projection/accounts.projection';

type ProjectorTopicConfig = TopicSettings & Pick<AccountsProjectorConfig, 'ACCOUNTS_EVENTS_TOPIC'>;

/** Shared by the service and its CLIs (rebuild, replay), so they cannot drift apart. */
export const decodeAccountEvent: DecodeEvent<AccountEvent> = (raw) =>
  accountEventRegistry.parseEventJson(raw);

export function createKafka(
  clientId: string,
  config: Pick<AccountsProjectorConfig, 'KAFKA_BROKERS'>,
): Kafka {
  return createKafkaClient({ clientId, brokers: config.KAFKA_BROKERS });
}

/**
 * The projection that wrote the runtime's rows before projections had names; the runtime
 * tables' upgrade gives those rows its name.
 */
export const FIRST_PROJECTION = 'accounts';

/** The projection the query API reads (and waits on). */
export const projectionOf = (): Projection<AccountEvent> => accountsProjection();

/** One projection this process runs: its read model's schema, topic and consumer group. */
export interface ProjectionSpec {
  projection: Projection<AccountEvent>;
  schema: string;
  topic: string;
  groupId: string;
  deadLetterTopic: string;
}

type ProjectionsConfig = Pick<
  AccountsProjectorConfig,
  'READ_MODEL_SCHEMA' | 'ACCOUNTS_EVENTS_TOPIC' | 'KAFKA_GROUP_ID'
>;

/**
 * Every projection of this service, each under its own name, schema and group so it can be
 * added, rebuilt and replayed alone. Today one: the accounts read model the query API serves.
 */
export function projectionsOf(config: ProjectionsConfig): ProjectionSpec[] {
  return [
    {
      projection: projectionOf(),
      schema: config.READ_MODEL_SCHEMA,
      topic: config.ACCOUNTS_EVENTS_TOPIC,
      groupId: config.KAFKA_GROUP_ID,
      deadLetterTopic: deadLetterTopicOf(config),
    },
  ];
}

export const deadLetterTopicOf = (
  config: Pick<AccountsProjectorConfig, 'ACCOUNTS_EVENTS_TOPIC' | 'KAFKA_GROUP_ID'>,
): string => deadLetterTopic(config.ACCOUNTS_EVENTS_TOPIC, config.KAFKA_GROUP_ID);

/**
 * Every schema's migrations, on boot and as the deployment job (dist/migrate.js): per
 * projection, the runtime's tables, then its read model's. Returns the runtime tables' ids
 * applied per schema (the read model's go to the same history table).
 */
export async function migrate(
  pool: Pool,
  config: ProjectionsConfig,
): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  for (const { projection, schema } of projectionsOf(config)) {
    const ids = await migrateProjectorTables(pool, schema, FIRST_PROJECTION);
    await projection.migrate(pool, schema);
    applied[schema] = [...(applied[schema] ?? []), ...ids];
  }
  return applied;
}

/** What the query side reads: the read model's tables and the runtime's stream positions. */
const QUERIED_TABLES = [
  'accounts',
  'account_transactions',
  'projector_streams',
  'projector_checkpoints',
];

/**
 * ROLE=query runs under a read-only database role (no DDL: least privilege), so it does not
 * migrate; it waits until the projector has created what it reads, saying so every 5 s. A role
 * without USAGE on the schema fails here at once ("permission denied for schema"), not on the
 * first query.
 */
export async function waitForReadModel(
  pool: Pool,
  schema: string,
  logger: Logger,
  pollMs = 500,
): Promise<void> {
  const started = Date.now();
  let reported = started;
  for (;;) {
    const { rows } = await pool.query<{ missing: string[] }>(
      `SELECT coalesce(array_agg(t), '{}') AS missing
         FROM unnest($1::text[]) AS t WHERE to_regclass($2 || '.' || t) IS NULL`,
      [QUERIED_TABLES, checkedSchema(schema)],
    );
    const missing = rows[0]?.missing ?? [];
    if (missing.length === 0) return;
    if (Date.now() - reported >= 5_000) {
      reported = Date.now();
      logger.info(
        { schema, missing, waitedMs: reported - started },
        'waiting for the projector to create the read model',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * The event topic, created with its explicit settings when the projector starts before the
 * relay ever published (brokers do not auto-create topics).
 */
export async function ensureEventTopic(
  kafka: Kafka,
  config: ProjectorTopicConfig,
  logger: Logger,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { mismatched } = await ensureTopics(admin, [
      eventTopicSpec(config.ACCOUNTS_EVENTS_TOPIC, config),
    ]);
    // Not altered here (an operator's decision), but a rebuild will refuse once records expire.
    for (const topic of mismatched)
      logger.warn(topic, 'event topic retention differs from the configured one');
  } finally {
    await admin.disconnect();
  }
}

/** The dead-letter topic keeps its records like the event topic it shadows. */
export const deadLetterTopicSpecOf = (config: ProjectorTopicConfig): Omit<TopicSpec, 'topic'> =>
  eventTopicSpec(config.ACCOUNTS_EVENTS_TOPIC, config);

export const projectorLog = (logger: Logger): ProjectorLogger => ({
  info: (obj, msg) => logger.info(obj, msg),
  warn: (obj, msg) => logger.warn(obj, msg),
  error: (obj, msg) => logger.error(obj, msg),
});
