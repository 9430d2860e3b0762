import { accountEventRegistry } from '@cqrs/events';
import { EventsLostError, rebuildProjection } from '@cqrs/projections';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  projectorTestbed,
  quietLog,
  readAccounts,
  startRuntime,
  testKafka,
  waitForCheckpoints,
} from './support/projector-harness.fixture';

/**
 * A topic whose first records are gone (expired by retention, or deleted): neither a rebuild
 * nor a fresh projector may build a read model from what is left and call it complete.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-lost', 6);

jest.setTimeout(60_000);

const events = generateAccountEvents({ accounts: 20, eventsPerAccount: 3 });
let topic: string;
let groupId: string;

beforeAll(async () => {
  topic = uniqueTopic('lost-events');
  groupId = uniqueId('lost-events');
  await createTopic(kafka, topic, 1);
  await produce(bed.producer, topic, events);
  // The live read model is complete: it projected everything before the records went away.
  const projection = await migrated(bed.pool, bed.db.url, 'rm');
  const live = startRuntime({ kafka, pool: bed.pool, topic, groupId, schema: 'rm', projection });
  await live.start();
  await waitForCheckpoints(bed.pool, 'rm', topic, events.length);
  await live.stop();
  // What retention does to old segments, done at once: the log now starts at offset 10.
  const admin = kafka.admin();
  await admin.connect();
  await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs needs it loaded for the delete
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '10' }] });
  const [offsets] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  expect(offsets).toMatchObject({ low: '10', high: String(events.length) });
});

it('rebuild refuses, naming the partition and the lost range, and swaps nothing in', async () => {
  const { pool, db } = bed;
  const before = await readAccounts(pool, 'rm');
  expect(before).toEqual(foldExpected(events));
  const rebuilt = rebuildProjection({
    kafka,
    pool,
    topic,
    groupId,
    liveSchema: 'rm',
    projection: await migrated(pool, db.url, 'rm'),
    decode: (raw) => accountEventRegistry.parseEventJson(raw),
    log: quietLog,
    progressIntervalMs: 100,
  });
  await expect(rebuilt).rejects.toThrow(EventsLostError);
  await expect(rebuilt).rejects.toThrow(
    /partition 0 needs offset 0 but its log starts at 10 \(10 events lost\)/,
  );
  expect(await readAccounts(pool, 'rm')).toEqual(before);
  const schemas = await pool.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm%' ORDER BY 1`,
  );
  expect(schemas.rows.map((r) => r.nspname)).toEqual(['rm']);
});

it('a fresh projector refuses to start; one whose checkpoint is past the gap starts', async () => {
  const { pool, db } = bed;
  const projection = await migrated(pool, db.url, 'fresh');
  const fresh = startRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('lost-fresh'),
    schema: 'fresh',
    projection,
  });
  try {
    await expect(fresh.start()).rejects.toThrow(EventsLostError);
  } finally {
    await fresh.stop();
  }
  expect(await readAccounts(pool, 'fresh')).toEqual([]);
  const checkpoints = await pool.query('SELECT * FROM fresh.projector_checkpoints');
  expect(checkpoints.rowCount).toBe(0);

  // The live read model needs nothing before its checkpoint: it is not affected.
  const live = startRuntime({
    kafka,
    pool,
    topic,
    groupId,
    schema: 'rm',
    projection: await migrated(pool, db.url, 'rm'),
  });
  await live.start();
  expect(live.health()).toMatchObject({ running: true, lastError: undefined });
  await live.stop();
});
