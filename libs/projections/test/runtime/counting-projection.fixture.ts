import type { EventEnvelope } from '@cqrs/events';
import {
  createTestDatabase,
  testInfra,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
} from '@cqrs/testing';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { createPool } from '@cqrs/platform';
import type { Pool, PoolClient } from 'pg';
import {
  checkedSchema,
  ProjectorRuntime,
  type DecodeEvent,
  type Projection,
  type ProjectorRuntimeOptions,
} from '../../src';
import { checkpointSum, runtimeTables } from '../support/runtime-tables.harness';

/**
 * The smallest projection that shows the runtime's guarantees: it counts events per stream
 * into `<schema>.<name>_counts`. An event applied twice, or lost, changes a count, so an exact
 * count per stream is an exactly-once check.
 */
export type CountedEvent = EventEnvelope<'Counted', { poison?: boolean }>;

export interface CountingProjection extends Projection<CountedEvent> {
  /** While set, `data.poison` events fail deterministically (a handler bug, fixed later). */
  bug: boolean;
  /** Runs inside the transaction after the counts were written, before the runtime commits. */
  afterWrite?: (tx: PoolClient, events: readonly CountedEvent[]) => Promise<void>;
  /** Calls of applyBatch in flight right now, and the most seen at once. */
  inFlight: number;
  maxInFlight: number;
  /** Makes each applyBatch take at least this long (to see partitions overlap). */
  delayMs: number;
}

export function countingProjection(name: string): CountingProjection {
  const projection: CountingProjection = {
    name,
    bug: true,
    inFlight: 0,
    maxInFlight: 0,
    delayMs: 0,
    migrate: async (pool, schema) =>
      void (await pool.query(
        `CREATE TABLE IF NOT EXISTS ${checkedSchema(schema)}.${name}_counts
           (stream_id text PRIMARY KEY, events integer NOT NULL)`,
      )),
    applyBatch: async (tx, events, { schema }) => {
      projection.inFlight += 1;
      projection.maxInFlight = Math.max(projection.maxInFlight, projection.inFlight);
      try {
        if (projection.bug && events.some((e) => e.data.poison === true)) {
          throw new Error('counting bug: poison event');
        }
        const counts = new Map<string, number>();
        for (const e of events) counts.set(e.streamId, (counts.get(e.streamId) ?? 0) + 1);
        await tx.query(
          `INSERT INTO ${schema}.${name}_counts (stream_id, events)
           SELECT * FROM unnest($1::text[], $2::int[])
           ON CONFLICT (stream_id) DO UPDATE SET events = ${name}_counts.events + EXCLUDED.events`,
          [[...counts.keys()], [...counts.values()]],
        );
        if (projection.delayMs > 0) await new Promise((r) => setTimeout(r, projection.delayMs));
        await projection.afterWrite?.(tx, events);
      } finally {
        projection.inFlight -= 1;
      }
    },
  };
  return projection;
}

export const decodeCounted: DecodeEvent<CountedEvent> = (raw) => {
  try {
    return { ok: true, event: JSON.parse(raw.toString('utf8')) as CountedEvent };
  } catch (error) {
    return { ok: false, error: { code: 'EVENT_INVALID_JSON' as const, message: String(error) } };
  }
};

/** One Kafka message per event, keyed by stream (one stream, one partition). */
export function countedMessages(
  streamId: string,
  fromVersion: number,
  count: number,
  poisonAt?: number,
): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const streamVersion = fromVersion + i;
    const event: CountedEvent = {
      eventId: `${streamId}-${streamVersion}`,
      type: 'Counted',
      schemaVersion: 1,
      streamId,
      streamVersion,
      occurredAt: new Date(0).toISOString(),
      data: streamVersion === poisonAt ? { poison: true } : {},
      metadata: {} as CountedEvent['metadata'],
    };
    return { key: streamId, value: JSON.stringify(event) };
  });
}

export async function readCounts(
  pool: Pool,
  schema: string,
  name: string,
): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ stream_id: string; events: number }>(
    `SELECT stream_id, events FROM ${checkedSchema(schema)}.${name}_counts ORDER BY stream_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.stream_id, r.events]));
}

export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const testKafka = (brokers: string[]): Kafka =>
  new Kafka({ clientId: 'runtime-test', brokers, logLevel: logLevel.NOTHING });

export async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions }],
    waitForLeaders: true,
  });
  await admin.disconnect();
}

/** The runtime tables and the projection's table in `schema`. */
export async function migrateCounting(
  pool: Pool,
  schema: string,
  projection: CountingProjection,
): Promise<void> {
  await runtimeTables(pool, schema, projection.name);
  await projection.migrate(pool, schema);
}

export function countingRuntime(
  options: Pick<ProjectorRuntimeOptions<CountedEvent>, 'kafka' | 'pool' | 'topic' | 'groupId'> &
    Partial<ProjectorRuntimeOptions<CountedEvent>> & {
      schema: string;
      projection: CountingProjection;
    },
): ProjectorRuntime<CountedEvent> {
  return new ProjectorRuntime<CountedEvent>({
    deadLetterTopic: null,
    decode: decodeCounted,
    log: quietLog,
    consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000 },
    ...options,
  });
}

/** Waits until the projection's checkpoints add up to `count` messages. */
export async function waitForMessages(
  pool: Pool,
  schema: string,
  projection: string,
  count: number,
): Promise<void> {
  await waitUntil(
    `${projection} to reach ${count} messages`,
    async () => (await checkpointSum(pool, schema, projection)) >= count,
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

export interface RuntimeTestbed {
  db: TestDatabase;
  pool: Pool;
  producer: Producer;
}

/** A database, a pool and an idempotent producer per test file, opened and closed by hooks. */
export function runtimeTestbed(kafka: Kafka, adminUrl: string, label: string): RuntimeTestbed {
  const bed = {} as RuntimeTestbed;
  beforeAll(async () => {
    bed.db = await createTestDatabase(adminUrl, label);
    // The service's pool: a connection the server ends (the crash tests) is replaced, not fatal.
    bed.pool = createPool({ connectionString: bed.db.url, max: 8 }, { warn: () => undefined });
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

/**
 * What each runtime test file starts with: the run's infrastructure, a Kafka client and a
 * testbed of its own (database, pool, producer; opened and closed by hooks).
 */
export function runtimeSuite(label: string) {
  const infra = testInfra();
  const kafka = testKafka(infra.kafkaBrokers);
  return { infra, kafka, bed: runtimeTestbed(kafka, infra.databaseUrl, label) };
}

/** A fresh topic of `partitions` and the counting projection `counts`, migrated into `schema`. */
export async function countingTopic(
  kafka: Kafka,
  pool: Pool,
  schema: string,
  at: { label: string; partitions: number },
): Promise<{ topic: string; projection: CountingProjection }> {
  const topic = uniqueTopic(at.label);
  await createTopic(kafka, topic, at.partitions);
  const projection = countingProjection('counts');
  await migrateCounting(pool, schema, projection);
  return { topic, projection };
}
