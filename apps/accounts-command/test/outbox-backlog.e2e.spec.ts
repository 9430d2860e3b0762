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
import { commandClient, INTERNAL_TOKEN } from './support/command-client';

/**
 * Kafka unreachable: commands are still accepted (the outbox holds them), the backlog shows as
 * gauges, and readiness fails once the oldest unpublished event is older than
 * OUTBOX_MAX_AGE_SECONDS, so an outage that silently stops the read side is seen.
 */
const infra = testInfra();
let db: TestDatabase;
let service: ServiceProcess;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-outbox-backlog');
  service = await startService(
    'accounts-command',
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, // nothing listens there
      INTERNAL_TOKEN,
      ACCOUNTS_EVENTS_TOPIC: uniqueTopic('command-outbox-backlog'),
      OUTBOX_MAX_AGE_SECONDS: '2',
    },
    { readyPath: '/health/live' },
  );
});

afterAll(async () => {
  await service?.stop('SIGKILL');
  await db?.drop();
});

const gauge = (metrics: string, name: string): number =>
  Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);

it('reports the backlog as gauges and fails readiness when its oldest event is too old', async () => {
  expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
  const opened = await commandClient(service.url)('/accounts', {
    actor: 'alice',
    body: { currency: 'EUR' },
  });
  expect(opened.status).toBe(201);

  const started = Date.now();
  await waitUntil(
    'readiness to fail',
    async () => (await fetch(`${service.url}/health/ready`)).status === 503,
    { timeoutMs: 15_000 },
  );
  process.stdout.write(`outbox readiness failed ${Date.now() - started} ms after the append\n`);
  const metrics = await (
    await fetch(`${service.url}/metrics`, { headers: { 'x-internal-token': INTERNAL_TOKEN } })
  ).text();
  expect(gauge(metrics, 'outbox_pending_events')).toBe(1);
  expect(gauge(metrics, 'outbox_oldest_age_seconds')).toBeGreaterThan(2);
});
