import { uniqueId } from '@cqrs/testing';
import {
  countedMessages,
  countingRuntime,
  countingTopic,
  readCounts,
  runtimeSuite,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * Partitions applied at once, each in its own transaction: they overlap in time (a slow
 * commit on one does not hold the others) and the counts stay exact.
 */
const { kafka, bed } = runtimeSuite('runtime-partitions');
const schema = 'rm';

jest.setTimeout(120_000);

it('applies partitions concurrently with exact counts', async () => {
  const { pool, producer } = bed;
  const { topic, projection } = await countingTopic(kafka, pool, schema, {
    label: 'partitions',
    partitions: 3,
  });
  projection.delayMs = 150;
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
