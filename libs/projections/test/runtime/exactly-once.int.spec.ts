import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { uniqueId, uniqueTopic } from '@cqrs/testing';
import { checkpointSum, setCheckpoint } from '../support/runtime-tables.harness';
import {
  countedMessages,
  countingProjection,
  countingRuntime,
  countingTopic,
  createTopic,
  migrateCounting,
  readCounts,
  runtimeSuite,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * Exactly-once effect: a chunk whose connection dies after the projection wrote (a crash
 * mid-chunk) leaves nothing behind and is applied once on retry; a restarted runtime resumes
 * from its checkpoint; a redelivery of everything (fresh group, checkpoints gone) is ignored by
 * the stream versions.
 */
const { infra, kafka, bed } = runtimeSuite('runtime-exactly-once');
const schema = 'rm';

jest.setTimeout(120_000);

it('counts every event exactly once across a crash mid-chunk, a restart and a redelivery', async () => {
  const { pool, producer } = bed;
  const groupId = uniqueId('exactly-once');
  const { topic, projection } = await countingTopic(kafka, pool, schema, {
    label: 'exactly-once',
    partitions: 2,
  });

  // The connection dies inside the transaction, after the counts were written.
  let crashes = 0;
  projection.afterWrite = async (tx, events) => {
    if (crashes === 0 && events.some((e) => e.streamId === 's1' && e.streamVersion === 3)) {
      crashes += 1;
      await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
    }
  };
  await producer.send({
    topic,
    messages: [...countedMessages('s1', 1, 5), ...countedMessages('s2', 1, 5)],
  });
  const first = countingRuntime({ kafka, pool, topic, groupId, schema, projection });
  await first.start();
  await waitForMessages(pool, schema, 'counts', 10);
  expect(crashes).toBe(1);
  expect(await readCounts(pool, schema, 'counts')).toEqual({ s1: 5, s2: 5 });
  await first.stop();

  // Restart: only what came after the checkpoint is applied.
  await producer.send({ topic, messages: countedMessages('s1', 6, 3) });
  const second = countingRuntime({ kafka, pool, topic, groupId, schema, projection });
  await second.start();
  await waitForMessages(pool, schema, 'counts', 13);
  expect(await readCounts(pool, schema, 'counts')).toEqual({ s1: 8, s2: 5 });
  await second.stop();

  // Redelivery of the whole log: a new group, and checkpoints back at the start.
  for (const partition of [0, 1]) {
    await setCheckpoint(pool, schema, { projection: 'counts', topic, partition, nextOffset: '0' });
  }
  expect(await checkpointSum(pool, schema, 'counts')).toBe(0);
  await producer.send({ topic, messages: countedMessages('s2', 6, 1) });
  const third = countingRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('exactly-once-again'),
    schema,
    projection,
  });
  await third.start();
  await waitForMessages(pool, schema, 'counts', 14);
  await third.stop();
  expect(await readCounts(pool, schema, 'counts')).toEqual({ s1: 8, s2: 6 });
});

it('a process killed inside a chunk transaction leaves none of it; the restart applies it once', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('killed');
  const groupId = uniqueId('killed');
  const killedSchema = 'killed_rm';
  await createTopic(kafka, topic, 1);
  const projection = countingProjection('counts');
  await migrateCounting(pool, killedSchema, projection);
  await producer.send({
    topic,
    messages: [...countedMessages('s1', 1, 5), ...countedMessages('s2', 1, 5)],
  });

  // node itself runs the script (tsx as a loader), so the killed process is the child.
  let stderr = '';
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, 'crash-mid-chunk.script.ts'),
      db.url,
      infra.kafkaBrokers.join(','),
      topic,
      groupId,
      killedSchema,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, s) => resolve(s)),
  );
  expect({ signal, stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
  // Chunks of two: s1 v1-2 committed, the chunk with s1 v3 died before its commit.
  expect(await readCounts(pool, killedSchema, 'counts')).toEqual({ s1: 2 });
  expect(await checkpointSum(pool, killedSchema, 'counts')).toBe(2);

  const restarted = countingRuntime({
    kafka,
    pool,
    topic,
    groupId,
    schema: killedSchema,
    projection,
  });
  await restarted.start();
  try {
    await waitForMessages(pool, killedSchema, 'counts', 10);
  } finally {
    await restarted.stop();
  }
  expect(await readCounts(pool, killedSchema, 'counts')).toEqual({ s1: 5, s2: 5 });
});
