import {
  createTestDatabase,
  deleteTopicsByPrefix,
  testInfra,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
} from '@cqrs/testing';
import { Pool } from 'pg';
import {
  createProjectorService,
  loadProjectorServiceConfig,
  migrateProjections,
  type ProjectorService,
} from '../src';
import { talliesReadSide } from './support/tallies.read-side';

/**
 * ROLE=query does not migrate: it listens at once, is not ready and answers 503 (retryable)
 * until the projector has created the read model, then serves it.
 */
const infra = testInfra();
const TOKEN = 'int-internal-token-0123456789';
const topic = uniqueTopic('tallies-query');
let db: TestDatabase;
let service: ProjectorService;
let baseUrl: string;

jest.setTimeout(60_000);

const config = (url: string) =>
  loadProjectorServiceConfig(
    talliesReadSide.context,
    {
      DATABASE_URL: url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      INTERNAL_TOKEN: TOKEN,
      TALLIES_EVENTS_TOPIC: topic,
      ROLE: 'query',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
    },
    { defaultPort: 3002 },
  );

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-query-role');
  service = await createProjectorService(talliesReadSide, { ...config(db.url), PORT: 0 });
  baseUrl = await service.listen();
});

afterAll(async () => {
  await service?.close();
  await db?.drop();
  await deleteTopicsByPrefix(infra.kafkaBrokers, topic);
});

const get = (path: string) =>
  fetch(`${baseUrl}${path}`, { headers: { 'x-internal-token': TOKEN, 'x-actor-id': 'alice' } });

it('is not ready and answers 503 until the read model exists, then serves it', async () => {
  expect((await get('/health/ready')).status).toBe(503);
  const early = await get('/tallies/t-1');
  expect(early.status).toBe(503);
  expect(early.headers.get('retry-after')).toBe('1');

  const owner = new Pool({ connectionString: db.url, max: 1 });
  try {
    await migrateProjections(owner, talliesReadSide.projections, config(db.url));
    await owner.query(`INSERT INTO tallies_rm.tallies VALUES ('t-1', 3)`);
  } finally {
    await owner.end();
  }
  await waitUntil('the query role is ready', async () => (await get('/health/ready')).ok, {
    timeoutMs: 20_000,
  });
  const reply = await get('/tallies/t-1');
  expect(await reply.json()).toEqual({ tallyId: 't-1', count: 3 });
});
