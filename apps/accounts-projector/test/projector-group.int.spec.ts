import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import type { AccountEvent } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import {
  createTestDatabase,
  testInfra,
  uniqueId,
  uniqueTopic,
  type TestDatabase,
} from '@cqrs/testing';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  readAccounts,
  startRuntime,
  testKafka,
  waitForCheckpoints,
} from './support/projector-harness.fixture';

/** Two instances in one group split the partitions; no event is applied twice, across rebalances. */
const infra = testInfra();
const schema = 'rm';
let db: TestDatabase;
let pool: Pool;
let producer: Producer;

jest.setTimeout(120_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-group');
  pool = new Pool({ connectionString: db.url, max: 8 });
  producer = testKafka(infra.kafkaBrokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await pool?.end();
  await db?.drop();
});

/** Counts what each instance applied; the count is only kept if the transaction commits. */
function counting(
  inner: Projection<AccountEvent>,
  applied: Map<string, number>,
  byInstance: number[],
  index: number,
): Projection<AccountEvent> {
  return {
    ...inner,
    applyBatch: async (tx, events, context) => {
      await inner.applyBatch(tx, events, context);
      // A chunk that fails after this point would be retried; none does in this test.
      for (const event of events) applied.set(event.eventId, (applied.get(event.eventId) ?? 0) + 1);
      byInstance[index] = (byInstance[index] ?? 0) + events.length;
    },
  };
}

it('shares partitions between two instances and hands them over on a rebalance', async () => {
  const topic = uniqueTopic('group');
  const groupId = uniqueId('group');
  await createTopic(kafka(), topic, 4);
  const projection = await migrated(pool, db.url, schema);
  const events = generateAccountEvents({ accounts: 400, eventsPerAccount: 10 });
  const thirds = [events.slice(0, 1_300), events.slice(1_300, 2_600), events.slice(2_600)];
  const applied = new Map<string, number>();
  const byInstance: number[] = [0, 0];
  const instance = (i: number) =>
    startRuntime({
      kafka: kafka(`i${i}`),
      pool,
      topic,
      groupId,
      schema,
      projection: counting(projection, applied, byInstance, i),
      chunkSize: 100,
    });

  const first = instance(0);
  await first.start();
  await produce(producer, topic, thirds[0]!, 100);
  const second = instance(1);
  await second.start(); // joins while the first is busy: a rebalance mid-stream
  await produce(producer, topic, thirds[1]!, 100);
  await waitForCheckpoints(pool, schema, topic, 2_600);
  await first.stop(); // leaves: its partitions move to the second
  await produce(producer, topic, thirds[2]!, 100);
  await waitForCheckpoints(pool, schema, topic, events.length);
  await second.stop();

  // Both worked (how the middle third splits depends on when the rebalance lands).
  expect(byInstance.every((n) => n > 0)).toBe(true);
  expect(applied.size).toBe(events.length);
  expect([...applied.values()].every((n) => n === 1)).toBe(true);
  expect(await readAccounts(pool, schema)).toEqual(foldExpected(events));
});

function kafka(suffix = 'admin') {
  return testKafka(infra.kafkaBrokers, `group-test-${suffix}`);
}
