import { INTERNAL_TOKEN } from './support/command-client';
import {
  uniqueTopic,
  createTestDatabase,
  runServiceToExit,
  startService,
  testInfra,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';

/** The built service as a real process against real Postgres and Kafka. */
const infra = testInfra();
let db: TestDatabase;
let service: ServiceProcess;
const topic = uniqueTopic('command-lifecycle');
const env = (): Record<string, string> => ({
  DATABASE_URL: db.url,
  KAFKA_BROKERS: infra.kafkaBrokers.join(','),
  INTERNAL_TOKEN,
  ACCOUNTS_EVENTS_TOPIC: topic,
});

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-lifecycle');
  service = await startService('accounts-command', env());
});

afterAll(async () => {
  await service?.stop('SIGKILL');
  await db?.drop();
});

it('reports live and ready with each dependency checked, details only to the internal token', async () => {
  expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
  const open = await fetch(`${service.url}/health/ready`);
  expect([open.status, await open.json()]).toEqual([200, { status: 'ready' }]);
  const ready = await fetch(`${service.url}/health/ready`, {
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({
    status: 'ready',
    checks: { postgres: { status: 'up' }, outbox: { status: 'up', pending: expect.any(Number) } },
  });
});

it('serves Prometheus metrics labelled with the service, only to the internal token', async () => {
  expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
  const response = await fetch(`${service.url}/metrics`, {
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  expect(response.headers.get('content-type')).toContain('text/plain');
  expect(await response.text()).toContain(
    'process_cpu_user_seconds_total{service="accounts-command"}',
  );
});

it('echoes a given correlation id and makes one up otherwise', async () => {
  const given = await fetch(`${service.url}/health/live`, {
    headers: { 'x-correlation-id': 'abc-123' },
  });
  expect(given.headers.get('x-correlation-id')).toBe('abc-123');
  const made = await fetch(`${service.url}/health/live`);
  expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
});

it('refuses to start with a bad configuration and names the variables', async () => {
  const { code, output } = await runServiceToExit('accounts-command', {
    DATABASE_URL: 'mysql://nope',
    KAFKA_BROKERS: '',
  });
  expect(code).toBe(1);
  expect(output).toContain('DATABASE_URL');
  expect(output).toContain('KAFKA_BROKERS');
});

it('shuts down cleanly on SIGTERM', async () => {
  const other = await startService('accounts-command', env());
  expect(await other.stop('SIGTERM')).toBe(0);
});
