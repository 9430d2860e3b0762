import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import {
  countedMessages,
  countingProjection,
  countingRuntime,
  createTopic,
  migrateCounting,
  readCounts,
  runtimeTestbed,
  testKafka,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * Partitions applied at once, each in its own transaction: they overlap in time (a slow
 * commit on one does not hold the others) and the counts stay exact.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const bed = runtimeTestbed(kafka, infra.databaseUrl, 'runtime-partitions');
const schema = 'rm';

jest.setTimeout(120_000);

it('applies partitions concurrently with exact counts', async () => {
  const { pool, producer } = bed;
  const topic = uniqueTopic('partitions');
  await createTopic(kafka, topic, 3);
  const projection = countingProjection('counts');
  projection.delayMs = 150;
  await migrateCounting(pool, schema, projection);
  const streams = Array.from({ length: 12 }, (_, i) => `s${i}`);
  await producer.send({ topic, messages: streams.flatMap((s) => countedMessages(s, 1, 20)) });
  const runtime = countingRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('partitions'),
    schema,
    projection,
    chunkSize: 10,
    partitionsConcurrently: 3,
  });
  await runtime.start();
  try {
    await waitForMessages(pool, schema, 'counts', 240);
  } finally {
    await runtime.stop();
  }
  expect(projection.maxInFlight).toBeGreaterThan(1);
  expect(await readCounts(pool, schema, 'counts')).toEqual(
    Object.fromEntries(streams.map((s) => [s, 20])),
  );
});
