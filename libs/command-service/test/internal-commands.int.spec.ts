import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createCommandService,
  loadCommandServiceConfig,
  type CommandService,
} from '@cqrs/command-service';
import {
  createTestDatabase,
  deleteTopicsByPrefix,
  testInfra,
  uniqueTopic,
  type TestDatabase,
} from '@cqrs/testing';
import { parcelsContext } from './support/parcels.context';

/**
 * Internal commands and the aggregate summary, on the made-up parcels context: served to the
 * system token only, with the system as the actor, keyed like public commands; absent from a
 * service started without SYSTEM_TOKEN. Real Postgres and Kafka, two services on one store.
 */
const infra = testInfra();
const INTERNAL = 'int-internal-token-0123456789';
const SYSTEM = 'int-system-token-0123456789';
const topic = uniqueTopic('parcels-internal');
let db: TestDatabase;
let withSystem: CommandService;
let withoutSystem: CommandService;
let urls: { with: string; without: string };
let sql: Client;

jest.setTimeout(60_000);

async function start(extra: Record<string, string>): Promise<CommandService> {
  const config = loadCommandServiceConfig(
    parcelsContext,
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      INTERNAL_TOKEN: INTERNAL,
      PARCELS_EVENTS_TOPIC: topic,
      OUTBOX_RELAY: 'false',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      ...extra,
    },
    { defaultPort: 3001 },
  );
  return createCommandService(parcelsContext, { ...config, PORT: 0 });
}

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-internal');
  withSystem = await start({ SYSTEM_TOKEN: SYSTEM });
  withoutSystem = await start({});
  urls = { with: await withSystem.listen(), without: await withoutSystem.listen() };
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await withSystem?.close();
  await withoutSystem?.close();
  await db?.drop();
  await deleteTopicsByPrefix(infra.kafkaBrokers, topic);
});

interface Reply {
  status: number;
  contentType: string | null;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on shapes
}

async function call(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : '',
  };
}

const asGateway = { 'x-internal-token': INTERNAL, 'x-actor-id': 'alice' };
const asSystem = { 'x-system-token': SYSTEM };

async function register(): Promise<string> {
  const r = await call(urls.with, 'POST', '/parcels', asGateway, { weightGrams: 500 });
  expect(r.status).toBe(201);
  return r.body.parcelId as string;
}

const recall = (id: string, headers: Record<string, string>, base = urls.with) =>
  call(base, 'POST', `/internal/parcels/${id}/recalls`, headers, { reason: 'damaged' });

async function eventsOf(streamId: string): Promise<Array<{ type: string; actor: string }>> {
  const { rows } = await sql.query(
    "SELECT type, metadata->>'actorId' AS actor FROM events WHERE stream_id = $1 ORDER BY stream_version",
    [streamId],
  );
  return rows as Array<{ type: string; actor: string }>;
}

it('given the system token, when an internal command is sent twice with one key, then it applies once, as the system', async () => {
  const id = await register();
  const key = `${randomUUID()}:recall`;
  const first = await recall(id, { ...asSystem, 'idempotency-key': key });
  const again = await recall(id, { ...asSystem, 'idempotency-key': key });
  expect(first).toMatchObject({ status: 200, body: { parcelId: id, version: 2 } });
  expect(again).toMatchObject({ status: 200, body: first.body });
  expect(await eventsOf(id)).toEqual([
    { type: 'ParcelRegistered', actor: 'alice' },
    { type: 'ParcelCancelled', actor: 'system' },
  ]);
  // The key is bound to its request, as for public commands.
  const other = await call(
    urls.with,
    'POST',
    `/internal/parcels/${id}/recalls`,
    {
      ...asSystem,
      'idempotency-key': key,
    },
    { reason: 'lost' },
  );
  expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  expect(await recall(id, asSystem)).toMatchObject({
    status: 400,
    body: { code: 'IDEMPOTENCY_KEY_REQUIRED' },
  });
});

it.each([
  ['no token', {}, 401, 'SYSTEM_AUTH_REQUIRED'],
  ['a wrong token', { 'x-system-token': 'not-the-system-token-0123' }, 403, 'SYSTEM_AUTH_INVALID'],
  ["the gateway's token and an actor", asGateway, 401, 'SYSTEM_AUTH_REQUIRED'],
])(
  'given %s, when an internal command is sent, then it is refused as problem+json and nothing is stored',
  async (_what, headers: Record<string, string>, status, code) => {
    const id = await register();
    const r = await recall(id, { ...headers, 'idempotency-key': randomUUID() });
    expect(r).toMatchObject({ status, body: { code } });
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(await eventsOf(id)).toHaveLength(1);
  },
);

it('given the system token, when a public command is sent without the gateway token, then it is refused', async () => {
  const id = await register();
  const r = await call(urls.with, 'DELETE', `/parcels/${id}`, asSystem);
  expect(r).toMatchObject({ status: 401, body: { code: 'INTERNAL_AUTH_REQUIRED' } });
});

it('given a service without SYSTEM_TOKEN, when an internal route is called, then it does not exist for anyone', async () => {
  const id = await register();
  const key = { 'idempotency-key': randomUUID() };
  // Without the gateway's token the service refuses before routing; with it, there is no route.
  expect(await recall(id, { ...asSystem, ...key }, urls.without)).toMatchObject({
    status: 401,
    body: { code: 'INTERNAL_AUTH_REQUIRED' },
  });
  expect(await recall(id, { ...asGateway, ...key }, urls.without)).toMatchObject({ status: 404 });
  expect(
    await call(urls.without, 'GET', `/internal/parcels/${id}/status`, asGateway),
  ).toMatchObject({ status: 404 });
  expect(await eventsOf(id)).toHaveLength(1);
});

it('given the system token, when the summary is read, then it is the exact state, 404 when missing, 400 when malformed', async () => {
  const id = await register();
  const summary = (stream: string, headers: Record<string, string> = asSystem) =>
    call(urls.with, 'GET', `/internal/parcels/${stream}/status`, headers);
  expect(await summary(id)).toMatchObject({ status: 200, body: { status: 'registered' } });
  // Written through the other instance: the summary reads the store, not this one's cache.
  const cancelled = await call(urls.without, 'DELETE', `/parcels/${id}`, asGateway);
  expect(cancelled.status).toBe(200);
  expect(await summary(id)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
  expect(await summary(randomUUID())).toMatchObject({
    status: 404,
    body: { code: 'PARCEL_NOT_FOUND' },
  });
  expect(await summary('not-a-uuid')).toMatchObject({
    status: 400,
    body: { code: 'VALIDATION_FAILED' },
  });
  expect(await summary(id, {})).toMatchObject({
    status: 401,
    body: { code: 'SYSTEM_AUTH_REQUIRED' },
  });
  expect(await summary(id, asGateway)).toMatchObject({
    status: 401,
    body: { code: 'SYSTEM_AUTH_REQUIRED' },
  });
});
