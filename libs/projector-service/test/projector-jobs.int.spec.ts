import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import {
  createTestDatabase,
  deleteTopicsByPrefix,
  testInfra,
  uniqueTopic,
  type TestDatabase,
} from '@cqrs/testing';
import {
  loadProjectorServiceConfig,
  migrateProjectorService,
  rebuildProjectionJob,
  replayDeadLettersJob,
  UnknownProjectionError,
  type ProjectorServiceConfig,
} from '../src';
import { talliedMessage, talliesReadSide } from './support/tallies.read-side';

/**
 * The jobs an app's migrate.ts and CLIs are made of, on a made-up read side against real
 * Postgres and Kafka: migrate, rebuild from the topic (`--projection`), replay dead letters.
 */
const infra = testInfra();
const topic = uniqueTopic('tallies-jobs');
let db: TestDatabase;
let config: ProjectorServiceConfig;
let pool: Pool;
let printed: string[];

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-jobs');
  pool = new Pool({ connectionString: db.url, max: 1 });
  config = loadProjectorServiceConfig(
    talliesReadSide.context,
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      INTERNAL_TOKEN: 'int-internal-token-0123456789',
      TALLIES_EVENTS_TOPIC: topic,
      LOG_LEVEL: 'silent',
    },
    { defaultPort: 3002 },
  );
  const kafka = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [1, 2, 3].map((v) => talliedMessage('a', v)).concat(talliedMessage('b', 1)),
  });
  await producer.disconnect();
});

beforeEach(() => {
  printed = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
    printed.push(String(line));
    return true;
  });
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  await deleteTopicsByPrefix(infra.kafkaBrokers, topic);
});

it('migrates every schema and prints what it applied', async () => {
  const applied = await migrateProjectorService(talliesReadSide, config);
  expect(Object.keys(applied)).toEqual(['tallies_rm']);
  expect(printed.join('')).toContain('"applied"');
  const { rows } = await pool.query(`SELECT to_regclass('tallies_rm.tallies') AS t`);
  expect(rows).toEqual([{ t: 'tallies_rm.tallies' }]);
});

it('rebuilds the named projection from its topic and swaps it in', async () => {
  await rebuildProjectionJob(talliesReadSide, config, ['node', 'cli', '--projection=tallies']);
  const { rows } = await pool.query(
    'SELECT tally_id, count FROM tallies_rm.tallies ORDER BY tally_id',
  );
  expect(rows).toEqual([
    { tally_id: 'a', count: 3 },
    { tally_id: 'b', count: 1 },
  ]);
  expect(printed.at(-1)).toMatch(/"events":4/);
});

it('refuses a projection the service does not have', async () => {
  await expect(
    rebuildProjectionJob(talliesReadSide, config, ['node', 'cli', '--projection', 'nope']),
  ).rejects.toThrow(UnknownProjectionError);
});

it('replays no dead letters and exits 0 when there are none', async () => {
  expect(await replayDeadLettersJob(talliesReadSide, config, ['node', 'cli'])).toBe(0);
});
