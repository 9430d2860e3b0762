import {
  accountEventRegistry,
  toKafkaMessage,
  type AccountEvent,
  type EventRecord,
} from '@cqrs/events';
import { migrateProjectorTables, ProjectorRuntime, type Projection } from '@cqrs/projections';
import { createTestDatabase, waitUntil, type TestDatabase } from '@cqrs/testing';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import { accountsProjection } from '../../src/projection/accounts.projection';
import type { ExpectedAccount } from './account-events.fixture';

export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const testKafka = (brokers: string[], clientId = 'projector-test'): Kafka =>
  new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });

export async function createTopic(kafka: Kafka, topic: string, partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions }],
    waitForLeaders: true,
  });
  await admin.disconnect();
}

/** Sends in the outbox relay's exact format (toKafkaMessage), in batches. */
export async function produce(
  producer: Producer,
  topic: string,
  events: readonly (EventRecord | Message)[],
  batch = 2_000,
): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    await producer.send({
      topic,
      messages: events.slice(i, i + batch).map((e) => ('eventId' in e ? toKafkaMessage(e) : e)),
    });
  }
}

export async function migrated(
  pool: Pool,
  url: string,
  schema: string,
): Promise<Projection<AccountEvent>> {
  const projection = accountsProjection();
  await migrateProjectorTables(pool, schema, projection.name);
  await projection.migrate(pool, schema);
  return projection;
}

export function startRuntime(options: {
  kafka: Kafka;
  pool: Pool;
  topic: string;
  groupId: string;
  schema: string;
  projection: Projection<AccountEvent>;
  deadLetterTopic?: string | null;
  chunkSize?: number;
}): ProjectorRuntime<AccountEvent> {
  const runtime = new ProjectorRuntime<AccountEvent>({
    ...options,
    deadLetterTopic: options.deadLetterTopic ?? null,
    decode: (raw) => accountEventRegistry.parseEventJson(raw),
    log: quietLog,
    consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000 },
  });
  return runtime;
}

export async function readAccounts(pool: Pool, schema: string): Promise<ExpectedAccount[]> {
  const { rows } = await pool.query<ExpectedAccount & { balance: string }>(
    `SELECT account_id AS "accountId", owner_id AS "ownerId", currency, balance, status, version
       FROM ${schema}.accounts ORDER BY account_id::text`,
  );
  return rows.map((r) => ({ ...r, balance: Number(r.balance) }));
}

export async function transactionCount(pool: Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${schema}.account_transactions`,
  );
  return rows[0]?.n ?? 0;
}

/** Waits until the sum of checkpoints reaches `count` messages (topic offsets start at 0). */
export async function waitForCheckpoints(
  pool: Pool,
  schema: string,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  await waitUntil(
    `checkpoints of ${schema} to reach ${count}`,
    async () => {
      const { rows } = await pool.query<{ n: string | null }>(
        `SELECT sum(next_offset)::text AS n FROM ${schema}.projector_checkpoints WHERE topic = $1`,
        [topic],
      );
      return Number(rows[0]?.n ?? 0) >= count;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

export interface ProjectorTestbed {
  db: TestDatabase;
  pool: Pool;
  producer: Producer;
}

/**
 * The per-file resources every projector test needs: its own database, a pool on it and an
 * idempotent producer. Registers the jest hooks that open them before the file's tests and
 * close them after; the fields are set once `beforeAll` ran.
 */
export function projectorTestbed(
  kafka: Kafka,
  adminUrl: string,
  label: string,
  poolSize: number,
): ProjectorTestbed {
  const bed = {} as ProjectorTestbed;
  beforeAll(async () => {
    bed.db = await createTestDatabase(adminUrl, label);
    bed.pool = new Pool({ connectionString: bed.db.url, max: poolSize });
    bed.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await bed.producer.connect();
  });
  afterAll(async () => {
    await bed.producer?.disconnect();
    await bed.pool?.end();
    await bed.db?.drop();
  });
  return bed;
}
