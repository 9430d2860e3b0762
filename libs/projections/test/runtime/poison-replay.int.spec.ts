import { uniqueId } from '@cqrs/testing';
import { replayDeadLetters } from '../../src';
import { deadLetterRows, parkedRows, streamRows } from '../support/runtime-tables.harness';
import {
  countedMessages,
  countingRuntime,
  countingTopic,
  decodeCounted,
  readCounts,
  runtimeSuite,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * A handler that fails on one event: that event becomes one dead letter, its stream's later
 * events are parked (never applied over the hole), other streams go on; once the fix ships,
 * the replay applies the dead letter, then the parked events, and unparks the stream.
 */
const { kafka, bed } = runtimeSuite('runtime-poison');
const schema = 'rm';

jest.setTimeout(120_000);

it('parks a poisoned stream behind its dead letter and replays both after the fix', async () => {
  const { pool, producer } = bed;
  const { topic, projection } = await countingTopic(kafka, pool, schema, {
    label: 'poison',
    partitions: 1,
  });
  await producer.send({
    topic,
    messages: [...countedMessages('bad', 1, 5, 3), ...countedMessages('good', 1, 4)],
  });
  const runtime = countingRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('poison'),
    schema,
    projection,
    maxAttempts: 2,
  });
  await runtime.start();
  try {
    await waitForMessages(pool, schema, 'counts', 9);
    expect(await readCounts(pool, schema, 'counts')).toEqual({ bad: 2, good: 4 });
    expect(await deadLetterRows(pool, schema, 'counts')).toEqual([
      { stream_id: 'bad', stream_version: 3, replayed: false },
    ]);
    expect(await parkedRows(pool, schema, 'counts')).toEqual([
      { stream_id: 'bad', stream_version: 4 },
      { stream_id: 'bad', stream_version: 5 },
    ]);

    // A later event of the parked stream is parked too, even with the runtime still running.
    await producer.send({ topic, messages: countedMessages('bad', 6, 1) });
    await waitForMessages(pool, schema, 'counts', 10);
    expect((await parkedRows(pool, schema, 'counts')).map((r) => r.stream_version)).toEqual([
      4, 5, 6,
    ]);

    projection.bug = false;
    const report = await replayDeadLetters({ pool, schema, projection, decode: decodeCounted });
    expect(report).toEqual({ replayed: 1, stillFailing: 0, parkedApplied: 3, streamsUnparked: 1 });
    expect(await readCounts(pool, schema, 'counts')).toEqual({ bad: 6, good: 4 });
    expect(await parkedRows(pool, schema, 'counts')).toEqual([]);
    expect(await streamRows(pool, schema, 'counts')).toEqual([
      { stream_id: 'bad', version: 6, parked_at: null },
      { stream_id: 'good', version: 4, parked_at: null },
    ]);

    // Unparked: the live runtime applies the stream's next event directly.
    await producer.send({ topic, messages: countedMessages('bad', 7, 1) });
    await waitForMessages(pool, schema, 'counts', 11);
    expect(await readCounts(pool, schema, 'counts')).toEqual({ bad: 7, good: 4 });
  } finally {
    await runtime.stop();
  }
});
