import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  readAccounts,
  startRuntime,
  testKafka,
  transactionCount,
  waitForCheckpoints,
  projectorTestbed,
} from './support/projector-harness.fixture';

/** Exactly-once effect: redelivered and republished events change nothing. */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const schema = 'rm';
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-redelivery', 6);

jest.setTimeout(90_000);

it('projects every event once, and rewinding the group plus republished duplicates change nothing', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('redelivery');
  const groupId = uniqueId('redelivery');
  await createTopic(kafka, topic);
  const projection = await migrated(pool, db.url, schema);
  const events = generateAccountEvents({ accounts: 300, eventsPerAccount: 10, closeSome: true });
  await produce(producer, topic, events);

  const first = startRuntime({ kafka, pool, topic, groupId, schema, projection, chunkSize: 500 });
  await first.start();
  await waitForCheckpoints(pool, schema, topic, events.length);
  const expected = foldExpected(events);
  expect(await readAccounts(pool, schema)).toEqual(expected);
  const history = await transactionCount(pool, schema);
  expect(history).toBe(events.filter((e) => e.type.startsWith('Money')).length);
  await first.stop();

  // Rewind the broker group to the start and lose the checkpoints too: everything comes again.
  const admin = kafka.admin();
  await admin.connect();
  await admin.resetOffsets({ groupId, topic, earliest: true });
  await admin.disconnect();
  await pool.query(`DELETE FROM ${schema}.projector_checkpoints`);
  // And the relay re-sends a slice of them (a crash between the broker's ack and its DELETE).
  await produce(producer, topic, events.slice(0, 1_000));

  const second = startRuntime({ kafka, pool, topic, groupId, schema, projection, chunkSize: 500 });
  await second.start();
  await waitForCheckpoints(pool, schema, topic, events.length + 1_000);
  await second.stop();
  expect(await readAccounts(pool, schema)).toEqual(expected);
  expect(await transactionCount(pool, schema)).toBe(history);
});
