import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  createTestDatabase,
  freePort,
  startService,
  testInfra,
  uniqueTopic,
  waitUntil,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import { migrated } from './support/projector-harness.fixture';

/**
 * The query role with a dependency away at start: it must start anyway, say so in readiness,
 * and answer 503 (a retry may succeed), never 500 and never by exiting.
 */
const infra = testInfra();
const TOKEN = 'e2e-internal-token-0123456789';
const services: ServiceProcess[] = [];
let db: TestDatabase | undefined;

jest.setTimeout(60_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await db?.drop();
});

async function startQueryRole(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startService(
    'accounts-projector',
    {
      INTERNAL_TOKEN: TOKEN,
      ACCOUNTS_EVENTS_TOPIC: uniqueTopic('query-unavailable'),
      ROLE: 'query',
      ...env,
    },
    { readyPath: '/health/live' },
  );
  services.push(service);
  return service;
}

const get = (service: ServiceProcess, path: string): Promise<Response> =>
  fetch(`${service.url}${path}`, { headers: { 'x-internal-token': TOKEN, 'x-actor-id': 'alice' } });

it('starts without its database and answers 503 with a problem, readiness failing', async () => {
  const service = await startQueryRole({
    DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, // nothing listens
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  });
  expect((await fetch(`${service.url}/health/ready`)).status).toBe(503);
  for (const path of [
    '/accounts',
    `/accounts/${randomUUID()}`,
    `/accounts/${randomUUID()}/transactions`,
    '/projections/status',
  ]) {
    const response = await get(service, path);
    expect({ path, status: response.status }).toEqual({ path, status: 503 });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('1');
  }
  expect(service.child.exitCode).toBeNull();
});

it('starts without Kafka, serves the read model, and answers 503 where Kafka is needed', async () => {
  db = await createTestDatabase(infra.databaseUrl, 'query-no-kafka');
  const pool = new Pool({ connectionString: db.url, max: 2 });
  await migrated(pool, db.url, 'accounts_rm');
  await pool.end();
  const service = await startQueryRole({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, // nothing listens
  });
  // Queries need only the database: ready once the read model is found.
  await waitUntil(
    'ready without Kafka',
    async () => (await fetch(`${service.url}/health/ready`)).status === 200,
    { timeoutMs: 10_000 },
  );
  const accounts = await get(service, '/accounts');
  expect(accounts.status).toBe(200);
  expect(await accounts.json()).toMatchObject({ items: [] });
  const status = await get(service, '/projections/status');
  expect(status.status).toBe(503);
  expect(service.child.exitCode).toBeNull();
});
