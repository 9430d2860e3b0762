import { randomUUID } from 'node:crypto';
import { accountEventRegistry, toKafkaMessage } from '@cqrs/events';
import { rebuildProjection } from '@cqrs/projections';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import type { Pool } from 'pg';
import { generateAccountEvents, storedEvent } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  projectorTestbed,
  quietLog,
  startRuntime,
  testKafka,
  waitForCheckpoints,
} from './support/projector-harness.fixture';

/**
 * The rebuild bulk-loads its fresh schema (large batches, bookkeeping written at the end,
 * secondary indexes built after the load). Whatever the batching, it must leave exactly the
 * rows the live projector leaves over the same log, poison, gaps and redeliveries included,
 * with the same indexes, and with planner statistics gathered before queries see it.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-rebuild-bulk', 10);

jest.setTimeout(120_000);

/** Every row a projection schema holds, minus identity columns and timestamps of the run. */
async function snapshot(pool: Pool, s: string): Promise<Record<string, unknown[]>> {
  const rows = async (sql: string): Promise<unknown[]> => (await pool.query(sql)).rows;
  return {
    accounts: await rows(`SELECT * FROM ${s}.accounts ORDER BY account_id`),
    transactions: await rows(
      `SELECT * FROM ${s}.account_transactions ORDER BY account_id, version`,
    ),
    streams: await rows(`SELECT * FROM ${s}.projector_streams ORDER BY stream_id`),
    checkpoints: await rows(
      `SELECT topic, partition, next_offset FROM ${s}.projector_checkpoints ORDER BY partition`,
    ),
    deadLetters: await rows(
      `SELECT topic, partition, kafka_offset, stream_id, stream_version, reason_code, value
         FROM ${s}.projector_dead_letters ORDER BY partition, kafka_offset`,
    ),
    parked: await rows(
      `SELECT stream_id, stream_version, topic, partition, kafka_offset, value
         FROM ${s}.projector_parked ORDER BY stream_id, stream_version`,
    ),
  };
}

async function indexesOf(pool: Pool, s: string): Promise<string[]> {
  const { rows } = await pool.query<{ definition: string }>(
    `SELECT replace(indexdef, $1, 'S.') AS definition FROM pg_indexes WHERE schemaname = $2
      ORDER BY indexname`,
    [`${s}.`, s],
  );
  return rows.map((r) => r.definition);
}

it('leaves the rows and indexes a live projection leaves, poison, gaps and redeliveries included, and analyzed', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('rebuild-bulk');
  await createTopic(kafka, topic, 3);
  const projection = await migrated(pool, db.url, 'rm');
  const events = generateAccountEvents({ accounts: 300, eventsPerAccount: 8, closeSome: true });
  const gapped = randomUUID();
  const g = (version: number): ReturnType<typeof storedEvent> =>
    version === 1
      ? storedEvent(gapped, 1, 'AccountOpened', {
          accountId: gapped,
          ownerId: 'g',
          currency: 'EUR',
        })
      : storedEvent(gapped, version, 'MoneyDeposited', {
          accountId: gapped,
          amount: 1,
          balanceAfter: version - 1,
        });
  const [g1, g2, g3, g4] = [g(1), g(2), g(3), g(4)];
  const poisoned = randomUUID();
  const p1 = storedEvent(poisoned, 1, 'AccountOpened', {
    accountId: poisoned,
    ownerId: 'p',
    currency: 'EUR',
  });
  const p3 = storedEvent(poisoned, 3, 'MoneyDeposited', {
    accountId: poisoned,
    amount: 5,
    balanceAfter: 5,
  });
  const poison = {
    key: poisoned,
    value: 'not json',
    headers: { 'stream-version': '2' },
  };
  // Version 3 of one stream before its 2 (a gap, filled later), a poison message parking
  // another stream, and exact copies of already delivered events.
  await produce(producer, topic, [...events.slice(0, 1_200), g1, g3, p1, poison, p3]);
  await produce(producer, topic, [
    ...events.slice(1_200),
    ...events.slice(600, 700),
    g2,
    toKafkaMessage(g3),
    g4,
  ]);
  const total = events.length + 100 + 8;

  const live = startRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('rebuild-bulk'),
    schema: 'rm',
    projection,
    chunkSize: 500,
  });
  await live.start();
  await waitForCheckpoints(pool, 'rm', topic, total);
  await live.stop();

  const report = await rebuildProjection({
    kafka,
    pool,
    topic,
    groupId: uniqueId('rebuild-bulk'),
    liveSchema: 'rb',
    projection,
    decode: (raw) => accountEventRegistry.parseEventJson(raw),
    log: quietLog,
    chunkSize: 700,
    progressIntervalMs: 100,
  });

  expect(report.events).toBe(total);
  const rebuilt = await snapshot(pool, 'rb');
  expect(rebuilt.deadLetters).toHaveLength(1);
  expect(rebuilt.parked).toHaveLength(1);
  expect(rebuilt).toEqual(await snapshot(pool, 'rm'));
  expect(await indexesOf(pool, 'rb')).toEqual(await indexesOf(pool, 'rm'));
  const stats = await pool.query<{ relname: string; analyzed: boolean }>(
    `SELECT relname, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables
      WHERE schemaname = 'rb' ORDER BY relname`,
  );
  expect(stats.rows.filter((r) => !r.analyzed)).toEqual([]);
});
