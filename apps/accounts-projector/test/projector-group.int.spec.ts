import type { AccountEvent } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  readAccounts,
  startRuntime,
  testKafka,
  waitForCheckpoints,
  projectorTestbed,
} from './support/projector-harness.fixture';

/** Two instances in one group split the partitions; no event is applied twice, across rebalances. */
const infra = testInfra();
const schema = 'rm';
const bed = projectorTestbed(
  testKafka(infra.kafkaBrokers),
  infra.databaseUrl,
  'projector-group',
  8,
);

jest.setTimeout(120_000);

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
  const { db, pool, producer } = bed;
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
