import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import {
  createTestDatabase,
  startService,
  testInfra,
  uniqueId,
  uniqueTopic,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import { generateAccountEvents } from './support/account-events.fixture';
import { createTopic, produce, testKafka } from './support/projector-harness.fixture';

/**
 * The database closes every connection of both roles (what a PostgreSQL restart or failover
 * does to idle pooled sessions and to the LISTEN session): both processes stay up, and the query
 * role's position waits are woken again by the projector's notifications.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const TOKEN = 'e2e-internal-token-0123456789';
const topic = uniqueTopic('db-loss');
let db: TestDatabase;
let producer: Producer;
let projector: ServiceProcess;
let query: ServiceProcess;

jest.setTimeout(90_000);

const position = async (streamId: string, version: number): Promise<unknown> => {
  const response = await fetch(
    `${query.url}/internal/positions?streamId=${streamId}&version=${version}&timeoutMs=20000`,
    { headers: { 'x-internal-token': TOKEN, 'x-actor-id': 'owner-0' } },
  );
  return response.json();
};

async function terminateBackends(database: string): Promise<number> {
  const admin = new Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-db-loss');
  await createTopic(kafka, topic);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN: TOKEN,
    ACCOUNTS_EVENTS_TOPIC: topic,
    KAFKA_GROUP_ID: uniqueId('db-loss'),
  };
  projector = await startService('accounts-projector', { ...env, ROLE: 'projector' });
  query = await startService('accounts-projector', { ...env, ROLE: 'query' });
});

afterAll(async () => {
  await producer?.disconnect();
  await Promise.all([projector?.stop('SIGKILL'), query?.stop('SIGKILL')]);
  await db?.drop();
});

it('keeps both roles up when the database closes their connections, and resumes', async () => {
  const events = generateAccountEvents({ accounts: 3, eventsPerAccount: 6 });
  const ids = [...new Set(events.map((e) => e.streamId))];
  const first = events.filter((e) => e.streamVersion <= 3);
  await produce(producer, topic, first);
  for (const id of ids) expect(await position(id, 3)).toEqual({ reached: true, version: 3 });

  // Every session of both processes, idle pool connections and the LISTEN session included.
  expect(await terminateBackends(db.name)).toBeGreaterThan(1);
  await new Promise((r) => setTimeout(r, 1_500));
  expect(projector.child.exitCode).toBeNull();
  expect(query.child.exitCode).toBeNull();

  // Waits registered now are woken by notifications on the re-established LISTEN session.
  const waits = ids.map((id) => position(id, 6));
  await produce(
    producer,
    topic,
    events.filter((e) => e.streamVersion > 3),
  );
  expect(await Promise.all(waits)).toEqual(ids.map(() => ({ reached: true, version: 6 })));
  expect(projector.output()).not.toMatch(/Unhandled 'error' event/);
  expect(query.output()).not.toMatch(/Unhandled 'error' event/);
});
