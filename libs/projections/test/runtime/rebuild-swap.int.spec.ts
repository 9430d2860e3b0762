import { uniqueId } from '@cqrs/testing';
import { rebuildProjection } from '../../src';
import {
  countedMessages,
  countingRuntime,
  countingTopic,
  decodeCounted,
  quietLog,
  readCounts,
  runtimeSuite,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * Blue/green rebuild next to a running runtime: the read model is rebuilt from offset 0 into
 * a fresh schema, migrated like a new one, swapped in; the running runtime goes on from the
 * rebuilt checkpoints.
 */
const { kafka, bed } = runtimeSuite('runtime-rebuild');
const schema = 'live_rm';

jest.setTimeout(120_000);

it('rebuilds into a new schema and swaps it in while the runtime keeps projecting', async () => {
  const { pool, producer } = bed;
  const groupId = uniqueId('rebuild');
  const { topic, projection } = await countingTopic(kafka, pool, schema, {
    label: 'rebuild',
    partitions: 2,
  });
  await producer.send({
    topic,
    messages: [...countedMessages('a', 1, 4), ...countedMessages('b', 1, 3)],
  });
  const runtime = countingRuntime({ kafka, pool, topic, groupId, schema, projection });
  await runtime.start();
  try {
    await waitForMessages(pool, schema, 'counts', 7);
    // A read model gone wrong (a since-fixed bug): only a rebuild repairs it.
    await pool.query(`UPDATE ${schema}.counts_counts SET events = 99 WHERE stream_id = 'a'`);

    const report = await rebuildProjection({
      kafka,
      pool,
      topic,
      groupId,
      liveSchema: schema,
      projection,
      decode: decodeCounted,
      log: quietLog,
      progressIntervalMs: 100,
    });
    expect(report.events).toBe(7);
    expect(await readCounts(pool, schema, 'counts')).toEqual({ a: 4, b: 3 });
    const { rows: schemas } = await pool.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname`,
      [`${schema}%`],
    );
    expect(schemas.map((r) => r.nspname)).toEqual([schema]); // the old one dropped
    const { rows: history } = await pool.query<{ id: string }>(
      `SELECT id FROM ${schema}.schema_migrations ORDER BY id`,
    );
    expect(history.map((r) => r.id)).toEqual([
      'projector-0001-tables',
      'projector-0002-named-projections',
    ]);

    await producer.send({ topic, messages: countedMessages('b', 4, 2) });
    await waitForMessages(pool, schema, 'counts', 9);
    expect(await readCounts(pool, schema, 'counts')).toEqual({ a: 4, b: 5 });
  } finally {
    await runtime.stop();
  }
});
