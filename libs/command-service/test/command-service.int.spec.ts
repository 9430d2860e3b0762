import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createCommandService,
  loadCommandServiceConfig,
  migrateEventStore,
  type CommandService,
} from '@cqrs/command-service';
import { consistencyTokens } from '@cqrs/platform';
import {
  createTestDatabase,
  deleteTopicsByPrefix,
  readTopic,
  testInfra,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
} from '@cqrs/testing';
import { parcelsContext } from './support/parcels.context';

/**
 * A second context served by the factory with no service code: the made-up parcels descriptor,
 * in process, against real Postgres and Kafka.
 */
const infra = testInfra();
const TOKEN = 'int-internal-token-0123456789';
const topic = uniqueTopic('parcels');
let db: TestDatabase;
let service: CommandService;
let baseUrl: string;
let sql: Client;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-service');
  const config = loadCommandServiceConfig(
    parcelsContext,
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      INTERNAL_TOKEN: TOKEN,
      PARCELS_EVENTS_TOPIC: topic,
      OUTBOX_POLL_MS: '50',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
    },
    { defaultPort: 3001 },
  );
  service = await createCommandService(parcelsContext, { ...config, PORT: 0 });
  baseUrl = await service.listen();
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await service?.close();
  await db?.drop();
  await deleteTopicsByPrefix(infra.kafkaBrokers, topic);
});

interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on shapes
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; actor?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {
    'x-internal-token': TOKEN,
    'x-actor-id': options.actor ?? 'alice',
    ...options.headers,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : '' };
}

const eventCount = async (streamId: string): Promise<number> =>
  Number(
    (await sql.query('SELECT count(*) AS n FROM events WHERE stream_id = $1', [streamId])).rows[0]
      .n,
  );

async function register(): Promise<string> {
  const r = await call('POST', '/parcels', { body: { weightGrams: 500 } });
  expect(r.status).toBe(201);
  return r.body.parcelId as string;
}

it('creates a stream on a command whose path names no id: 201, the id field from idParam, a token', async () => {
  const r = await call('POST', '/parcels', { body: { weightGrams: 1200 } });
  expect(r.status).toBe(201);
  expect(r.body).toEqual({
    parcelId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    version: 1,
    consistencyToken: expect.any(String),
  });
  expect(r.headers.get('x-consistency-token')).toBe(r.body.consistencyToken);
  expect(r.headers.get('etag')).toBe('"1"');
  expect(consistencyTokens(TOKEN).decode(r.body.consistencyToken)).toEqual({
    streamId: r.body.parcelId,
    version: 1,
  });
  // The relay creates the context's topic and publishes the event to it, keyed by the stream.
  await waitUntil(
    'the relay drains the outbox',
    async () => Number((await sql.query('SELECT count(*) AS n FROM outbox')).rows[0].n) === 0,
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  const [message] = await readTopic(infra.kafkaBrokers, topic, 1);
  expect(message).toMatchObject({ key: r.body.parcelId, streamVersion: 1 });
  expect(JSON.parse(message?.value ?? '{}')).toMatchObject({
    type: 'ParcelRegistered',
    data: { parcelId: r.body.parcelId, weightGrams: 1200 },
  });
});

it('applies a command on an existing stream with If-Match, and refuses a stale one with 412', async () => {
  const id = await register();
  const shipped = await call('PUT', `/parcels/${id}/shipment`, {
    body: { carrier: 'post' },
    headers: { 'if-match': '"1"', 'idempotency-key': randomUUID() },
  });
  expect(shipped).toMatchObject({ status: 200, body: { parcelId: id, version: 2 } });
  expect(shipped.headers.get('etag')).toBe('"2"');

  const other = await register();
  const stale = await call('PUT', `/parcels/${other}/shipment`, {
    body: { carrier: 'post' },
    headers: { 'if-match': '"7"', 'idempotency-key': randomUUID() },
  });
  expect(stale).toMatchObject({
    status: 412,
    body: { code: 'VERSION_CONFLICT', currentVersion: 1 },
  });
  expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await eventCount(other)).toBe(1);
});

it('replays a keyed command byte for byte without appending, and refuses the key on another request', async () => {
  const id = await register();
  const key = randomUUID();
  const first = await call('PUT', `/parcels/${id}/shipment`, {
    body: { carrier: 'courier' },
    headers: { 'idempotency-key': key },
  });
  const again = await call('PUT', `/parcels/${id}/shipment`, {
    body: { carrier: 'courier' },
    headers: { 'idempotency-key': key },
  });
  expect(first.status).toBe(200);
  expect(again).toMatchObject({ status: 200, body: first.body });
  expect(await eventCount(id)).toBe(2);

  const reused = await call('PUT', `/parcels/${id}/shipment`, {
    body: { carrier: 'post' },
    headers: { 'idempotency-key': key },
  });
  expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });

  const keyless = await call('PUT', `/parcels/${id}/shipment`, { body: { carrier: 'post' } });
  expect(keyless).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
});

it("maps the decider's error codes through the descriptor's errorStatus", async () => {
  const id = await register();
  const key = { 'idempotency-key': randomUUID() };
  await call('PUT', `/parcels/${id}/shipment`, { body: { carrier: 'post' }, headers: key });
  const twice = await call('PUT', `/parcels/${id}/shipment`, {
    body: { carrier: 'post' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(twice).toMatchObject({ status: 409, body: { code: 'PARCEL_ALREADY_SHIPPED' } });
  expect(await call('DELETE', `/parcels/${id}`)).toMatchObject({
    status: 409,
    body: { code: 'PARCEL_ALREADY_SHIPPED' },
  });
  expect(await call('DELETE', `/parcels/${randomUUID()}`)).toMatchObject({
    status: 404,
    body: { code: 'PARCEL_NOT_FOUND' },
  });
});

it('takes no body on a body-optional command, and {} alike', async () => {
  const id = await register();
  expect(await call('DELETE', `/parcels/${id}`)).toMatchObject({
    status: 200,
    body: { version: 2 },
  });
  const other = await register();
  expect(await call('DELETE', `/parcels/${other}`, { body: {} })).toMatchObject({ status: 200 });
});

it('answers invalid input with 400 and the one validation shape: JSON pointers, parameters, headers', async () => {
  const body = await call('POST', '/parcels', { body: { weightGrams: 0, colour: 'red' } });
  expect(body).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  expect(body.body.errors).toEqual(
    expect.arrayContaining([
      { pointer: '/weightGrams', message: expect.any(String) },
      { pointer: '/colour', message: expect.any(String) },
    ]),
  );
  const param = await call('DELETE', '/parcels/not-a-uuid');
  expect(param).toMatchObject({
    status: 400,
    body: { errors: [{ parameter: 'parcelId', message: 'must be a UUID' }] },
  });
  const onCreate = await call('POST', '/parcels', {
    body: { weightGrams: 10 },
    headers: { 'if-match': '"1"' },
  });
  expect(onCreate).toMatchObject({
    status: 400,
    body: { errors: [{ header: 'if-match', message: 'not allowed here' }] },
  });
  expect(await eventCount(randomUUID())).toBe(0);
});

it('refuses a call without the internal token, and counts commands by name and outcome', async () => {
  const anonymous = await fetch(`${baseUrl}/parcels`, { method: 'POST' });
  expect(anonymous.status).toBe(401);
  const metrics = await fetch(`${baseUrl}/metrics`, { headers: { 'x-internal-token': TOKEN } });
  const text = await metrics.text();
  expect(text).toMatch(
    /commands_total\{command="RegisterParcel",outcome="accepted",service="parcels-command"\} \d+/,
  );
  expect(text).toMatch(/outbox_pending_events\{service="parcels-command"\} \d+/);
  const ready = await fetch(`${baseUrl}/health/ready`, { headers: { 'x-internal-token': TOKEN } });
  expect(ready.status).toBe(200);
});

it('migrates a fresh database once (the deployment job), then finds nothing to apply', async () => {
  const fresh = await createTestDatabase(infra.databaseUrl, 'command-service-migrate');
  try {
    const settings = {
      DATABASE_URL: fresh.url,
      LOG_LEVEL: 'silent' as const,
      service: 'parcels-command',
    };
    expect((await migrateEventStore(settings)).length).toBeGreaterThan(0);
    expect(await migrateEventStore(settings)).toEqual([]);
  } finally {
    await fresh.drop();
  }
});
