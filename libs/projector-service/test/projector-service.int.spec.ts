import { Kafka, logLevel, type Producer } from 'kafkajs';
import { consistencyTokens } from '@cqrs/platform';
import {
  createTestDatabase,
  deleteTopicsByPrefix,
  testInfra,
  uniqueId,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
} from '@cqrs/testing';
import { createProjectorService, loadProjectorServiceConfig, type ProjectorService } from '../src';
import { talliedMessage, talliesReadSide } from './support/tallies.read-side';

/**
 * A made-up context's read side served by the factory (ROLE=all), in process, against real
 * Postgres and Kafka: an event produced to its topic becomes visible through its query route,
 * and a query with a consistency token waits for it.
 */
const infra = testInfra();
const TOKEN = 'int-internal-token-0123456789';
const tokens = consistencyTokens(TOKEN);
const topic = uniqueTopic('tallies');
let db: TestDatabase;
let service: ProjectorService;
let baseUrl: string;
let producer: Producer;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-service');
  const config = loadProjectorServiceConfig(
    talliesReadSide.context,
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      INTERNAL_TOKEN: TOKEN,
      TALLIES_EVENTS_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueId('tallies-projector'),
      CONSISTENCY_WAIT_MS: '1500',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
    },
    { defaultPort: 3002 },
  );
  expect(config.eventsTopic).toBe(topic);
  service = await createProjectorService(talliesReadSide, { ...config, PORT: 0 });
  baseUrl = await service.listen();
  await waitUntil('the projector runs', async () => (await call('/health/ready')).status === 200, {
    timeoutMs: 30_000,
  });
  const kafka = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
  await db?.drop();
  await deleteTopicsByPrefix(infra.kafkaBrokers, topic);
});

async function call(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { 'x-internal-token': TOKEN, 'x-actor-id': 'alice', ...headers },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const tally = uniqueId('tally');

it('answers 404 with problem+json before the stream is projected', async () => {
  const reply = await call(`/tallies/${tally}`);
  expect(reply.status).toBe(404);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ code: 'TALLY_NOT_FOUND' });
});

it('waits for the token, then answers with the event projected', async () => {
  const token = tokens.encode({ streamId: tally, version: 1 });
  const reading = call(`/tallies/${tally}`, { 'x-consistency-token': token });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await producer.send({ topic, messages: [talliedMessage(tally, 1)] });

  const reply = await reading;
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ tallyId: tally, count: 1 });
  expect(reply.headers.get('x-consistency')).toBeNull();
});

it('flags an answer stale when the token is not reached in time, and refuses a forged token', async () => {
  const ahead = tokens.encode({ streamId: tally, version: 2 });
  const stale = await call(`/tallies/${tally}`, { 'x-consistency-token': ahead });
  expect(stale.status).toBe(200);
  expect(stale.headers.get('x-consistency')).toBe('stale');

  const forged = await call(`/tallies/${tally}`, { 'x-consistency-token': `${ahead}x` });
  expect(forged.status).toBe(400);
  expect(forged.body).toMatchObject({ code: 'VALIDATION_FAILED' });
});

it('serves wait-for-position and the status of the projection', async () => {
  const position = await call(`/internal/positions?streamId=${tally}&version=1`);
  expect(position.body).toEqual({ reached: true, version: 1 });
  const status = await call('/projections/status');
  expect(status.body).toMatchObject({ role: 'all', consumer: { running: true } });
});
