import type { Producer } from 'kafkajs';
import { consistencyTokens } from '@cqrs/platform';
import {
  createTestDatabase,
  startService,
  testInfra,
  uniqueId,
  uniqueTopic,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import { generateAccountEvents, storedEvent } from './support/account-events.fixture';
import { createTopic, produce, testKafka } from './support/projector-harness.fixture';

/** The built service as a real process (ROLE=all): query routes, errors, waits. */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const TOKEN = 'e2e-internal-token-0123456789';
const topic = uniqueTopic('query-api');
let db: TestDatabase;
let service: ServiceProcess;
let producer: Producer;

const events = generateAccountEvents({
  accounts: 4,
  eventsPerAccount: 5,
  owner: (i) => (i < 3 ? 'alice' : 'bob'),
});
const ids = [...new Set(events.map((e) => e.streamId))] as [string, string, string, string];
const [a1, , , bobs] = ids;

const get = (path: string, actor = 'alice', headers: Record<string, string> = {}) =>
  fetch(`${service.url}${path}`, {
    headers: { 'x-internal-token': TOKEN, 'x-actor-id': actor, ...headers },
  });

/** Response bodies, loosely typed: the assertions check their shape. */
interface Body {
  code?: string;
  items: { accountId?: string; version?: number }[];
  nextCursor: string | null;
  partitions: unknown[];
  [key: string]: unknown;
}
const body = async (response: Response | Promise<Response>): Promise<Body> =>
  (await (await response).json()) as Body;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-query-api');
  await createTopic(kafka, topic);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  service = await startService('accounts-projector', {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN: TOKEN,
    ACCOUNTS_EVENTS_TOPIC: topic,
    KAFKA_GROUP_ID: uniqueId('query-api'),
    ROLE: 'all',
    CONSISTENCY_WAIT_MS: '1500',
  });
  await produce(producer, topic, events);
  for (const id of ids) {
    const response = await get(`/internal/positions?streamId=${id}&version=5&timeoutMs=15000`);
    expect(await body(response)).toEqual({ reached: true, version: 5 });
  }
});

afterAll(async () => {
  await producer?.disconnect();
  await service?.stop('SIGKILL');
  await db?.drop();
});

it('answers an account of the caller, and 404/400/401 otherwise', async () => {
  const response = await get(`/accounts/${a1}`);
  expect(response.status).toBe(200);
  expect(await body(response)).toEqual({
    accountId: a1,
    ownerId: 'alice',
    currency: 'EUR',
    balance: expect.any(Number),
    status: 'open',
    version: 5,
    openedAt: expect.stringMatching(/Z$/),
    updatedAt: expect.stringMatching(/Z$/),
  });

  const foreign = await get(`/accounts/${bobs}`);
  expect(foreign.status).toBe(404);
  expect(foreign.headers.get('content-type')).toContain('application/problem+json');
  expect(await body(foreign)).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', status: 404 });
  expect((await body(get('/accounts/0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11'))).code).toBe(
    'ACCOUNT_NOT_FOUND',
  );
  const malformed = await get('/accounts/not-a-uuid');
  expect(malformed.status).toBe(400);
  expect(await body(malformed)).toMatchObject({ code: 'VALIDATION_FAILED' });

  const anonymous = await fetch(`${service.url}/accounts/${a1}`);
  expect(anonymous.status).toBe(401);
});

it('pages the caller accounts with an opaque cursor in a stable order', async () => {
  const first = await body(get('/accounts?limit=2'));
  expect(first.items.map((a) => a.accountId)).toEqual(ids.slice(0, 2));
  expect(first.nextCursor).toEqual(expect.any(String));
  const second = await body(get(`/accounts?limit=2&cursor=${first.nextCursor}`));
  expect(second).toEqual({
    items: [expect.objectContaining({ accountId: ids[2] })],
    nextCursor: null,
  });
  expect((await body(get('/accounts', 'bob'))).items).toHaveLength(1);
  for (const bad of ['limit=0', 'limit=101', 'limit=x', 'cursor=%21%21', 'cursor=eyJ4IjoxfQ']) {
    const response = await get(`/accounts?${bad}`);
    expect([bad, response.status]).toEqual([bad, 400]);
    expect((await body(response)).code).toBe('VALIDATION_FAILED');
  }
});

it('lists transactions oldest first, paged', async () => {
  const first = await body(get(`/accounts/${a1}/transactions?limit=3`));
  expect(first.items.map((t) => t.version)).toEqual([2, 3, 4]);
  expect(first.items[0]).toEqual({
    type: expect.stringMatching(/^(deposit|withdrawal)$/),
    amount: expect.any(Number),
    balanceAfter: expect.any(Number),
    version: 2,
    occurredAt: expect.any(String),
  });
  const rest = await (
    await get(`/accounts/${a1}/transactions?limit=3&cursor=${first.nextCursor}`)
  ).json();
  expect(rest).toEqual({ items: [expect.objectContaining({ version: 5 })], nextCursor: null });
  expect((await get(`/accounts/${bobs}/transactions`)).status).toBe(404);
  expect((await get(`/accounts/${a1}/transactions?limit=500`)).status).toBe(400);
});

it('waits for a position until the projector reaches it, or times out', async () => {
  const waiting = get(`/internal/positions?streamId=${a1}&version=6&timeoutMs=10000`);
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  await produce(producer, topic, [
    storedEvent(a1, 6, 'MoneyDeposited', { accountId: a1, amount: 1, balanceAfter: 999_999 }),
  ]);
  expect(await body(waiting)).toEqual({ reached: true, version: 6 });
  expect(Date.now() - started).toBeLessThan(5_000);
  const timedOut = await (
    await get(`/internal/positions?streamId=${a1}&version=99&timeoutMs=200`)
  ).json();
  expect(timedOut).toEqual({ reached: false, version: 6 });
  expect((await get('/internal/positions?streamId=x&version=0')).status).toBe(400);
});

it('honours X-Consistency-Token: waits for the version, or answers stale after the bound', async () => {
  // Tokens as the command service signs them (the same shared secret).
  const tokens = consistencyTokens(TOKEN);
  const token = tokens.encode({ streamId: a1, version: 7 });
  const waiting = get(`/accounts/${a1}`, 'alice', { 'x-consistency-token': token });
  await new Promise((r) => setTimeout(r, 200));
  await produce(producer, topic, [
    storedEvent(a1, 7, 'MoneyWithdrawn', { accountId: a1, amount: 9, balanceAfter: 999_990 }),
  ]);
  const fresh = await waiting;
  expect(fresh.headers.get('x-consistency')).toBeNull();
  expect(await body(fresh)).toMatchObject({ version: 7, balance: 999_990 });

  const ahead = tokens.encode({ streamId: a1, version: 50 });
  const stale = await get(`/accounts/${a1}/transactions`, 'alice', {
    'x-consistency-token': ahead,
  });
  expect(stale.status).toBe(200);
  expect(stale.headers.get('x-consistency')).toBe('stale');
  expect(
    (await get(`/accounts/${a1}`, 'alice', { 'x-consistency-token': 'garbage!' })).status,
  ).toBe(400);
  // Well formed but not signed with our secret: refused, and nothing is waited for or leaked.
  const forged = consistencyTokens('a-secret-the-services-do-not-share').encode({
    streamId: a1,
    version: 50,
  });
  const refused = await get(`/accounts/${a1}`, 'alice', { 'x-consistency-token': forged });
  expect(refused.status).toBe(400);
  expect(refused.headers.get('x-consistency')).toBeNull();
});

it('reports status, metrics and readiness, and stops cleanly on SIGTERM', async () => {
  const hidden = await fetch(`${service.url}/projections/status`);
  expect(hidden.status).toBe(401);
  expect(await hidden.text()).not.toContain(topic);
  const status = await body(get('/projections/status'));
  expect(status).toMatchObject({
    role: 'all',
    topic,
    totalLag: 0,
    deadLetters: 0,
    consumer: { running: true },
  });
  expect(status.partitions).toHaveLength(3);
  expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
  const internal = { headers: { 'x-internal-token': TOKEN } };
  const metrics = await (await fetch(`${service.url}/metrics`, internal)).text();
  expect(metrics).toContain('projector_lag_events{projection="accounts",partition="0"');
  expect(metrics).toContain('projector_events_total');
  // Events went through Kafka with record timestamps: the apply lag has observations.
  expect(metrics).toMatch(
    /^projector_apply_lag_seconds_count\{[^}]*projection="accounts"[^}]*\} [1-9]/m,
  );
  expect(metrics).toMatch(/^projector_parked_streams\{projection="accounts"[^}]*\} 0$/m);
  const open = await fetch(`${service.url}/health/ready`);
  expect([open.status, await open.json()]).toEqual([200, { status: 'ready' }]);
  const detailed = await fetch(`${service.url}/health/ready`, internal);
  expect(await detailed.json()).toMatchObject({ status: 'ready', checks: expect.any(Object) });
  expect(await service.stop('SIGTERM')).toBe(0);
});
