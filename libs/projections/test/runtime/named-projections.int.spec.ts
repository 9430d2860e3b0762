import { uniqueId, uniqueTopic } from '@cqrs/testing';
import {
  DuplicateProjectionError,
  ProjectorHost,
  rebuildProjection,
  RebuildSchemaSharedError,
  replayDeadLetters,
  StreamPositionWaiter,
} from '../../src';
import { checkpointSum, deadLetterRows, streamRows } from '../support/runtime-tables.harness';
import {
  countedMessages,
  countingProjection,
  countingRuntime,
  createTopic,
  decodeCounted,
  migrateCounting,
  quietLog,
  readCounts,
  runtimeSuite,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * Two named projections of one topic in one process and one schema: each has its own
 * checkpoints, stream versions, dead letters, parked events and position waits, so one can be
 * stopped, replayed or fall behind without the other noticing.
 */
const { kafka, bed } = runtimeSuite('runtime-named');
const schema = 'shared_rm';

jest.setTimeout(120_000);

it('runs two projections in one schema without interference', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('named');
  await createTopic(kafka, topic, 2);
  const alpha = countingProjection('alpha'); // has the bug: x v2 is poison to it
  const beta = countingProjection('beta');
  beta.bug = false;
  await migrateCounting(pool, schema, alpha);
  await migrateCounting(pool, schema, beta);
  const runtimeOf = (projection: typeof alpha) =>
    countingRuntime({
      kafka,
      pool,
      topic,
      groupId: uniqueId(projection.name),
      schema,
      projection,
      maxAttempts: 2,
    });
  expect(() => new ProjectorHost([runtimeOf(alpha), runtimeOf(alpha)])).toThrow(
    DuplicateProjectionError,
  );

  await producer.send({
    topic,
    messages: [...countedMessages('x', 1, 3, 2), ...countedMessages('y', 1, 2)],
  });
  const host = new ProjectorHost([runtimeOf(alpha), runtimeOf(beta)]);
  const waiter = new StreamPositionWaiter({
    pool,
    listen: { connectionString: db.url },
    schema,
    projection: 'alpha',
  });
  await host.start();
  await waiter.start();
  try {
    expect(host.names()).toEqual(['alpha', 'beta']);
    await waitForMessages(pool, schema, 'alpha', 5);
    await waitForMessages(pool, schema, 'beta', 5);
    expect(await readCounts(pool, schema, 'alpha')).toEqual({ x: 1, y: 2 });
    expect(await readCounts(pool, schema, 'beta')).toEqual({ x: 3, y: 2 });
    expect(await deadLetterRows(pool, schema, 'alpha')).toHaveLength(1);
    expect(await deadLetterRows(pool, schema, 'beta')).toEqual([]);
    expect(await streamRows(pool, schema, 'alpha')).toContainEqual({
      stream_id: 'x',
      version: 1,
      parked_at: 2,
    });
    expect(await streamRows(pool, schema, 'beta')).toContainEqual({
      stream_id: 'x',
      version: 3,
      parked_at: null,
    });
    // Waits read alpha's positions only: beta being at x v3 does not satisfy them.
    expect(await waiter.waitFor('x', 3, 200)).toEqual({ reached: false, version: 1 });

    // alpha stopped: beta goes on alone.
    await host.get('alpha')?.stop();
    await producer.send({ topic, messages: countedMessages('y', 3, 2) });
    await waitForMessages(pool, schema, 'beta', 7);
    expect(await readCounts(pool, schema, 'beta')).toEqual({ x: 3, y: 4 });
    expect(await checkpointSum(pool, schema, 'alpha')).toBe(5);

    // Replaying alpha's dead letters touches nothing of beta's; the waiter sees alpha catch up.
    alpha.bug = false;
    const reached = waiter.waitFor('x', 3, 10_000);
    const report = await replayDeadLetters({
      pool,
      schema,
      projection: alpha,
      decode: decodeCounted,
    });
    expect(report).toMatchObject({ replayed: 1, parkedApplied: 1, streamsUnparked: 1 });
    expect(await reached).toEqual({ reached: true, version: 3 });
    expect(await readCounts(pool, schema, 'beta')).toEqual({ x: 3, y: 4 });

    // A restarted alpha catches up from its own checkpoints.
    const again = runtimeOf(alpha);
    await again.start();
    await waitForMessages(pool, schema, 'alpha', 7);
    await again.stop();
    expect(await readCounts(pool, schema, 'alpha')).toEqual({ x: 3, y: 4 });

    // A rebuild swaps the whole schema: refused while another projection lives in it.
    await expect(
      rebuildProjection({
        kafka,
        pool,
        topic,
        groupId: uniqueId('alpha-rebuild'),
        liveSchema: schema,
        projection: alpha,
        decode: decodeCounted,
        log: quietLog,
      }),
    ).rejects.toThrow(RebuildSchemaSharedError);
  } finally {
    await waiter.stop();
    await host.stop();
  }
});
