import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { toKafkaMessage, type TransferEvent, type TransferFailureCode } from '@cqrs/events';
import { consistencyTokens } from '@cqrs/platform';
import {
  createProjectorService,
  loadProjectorServiceConfig,
  type ProjectorService,
} from '@cqrs/projector-service';
import { transfersContext } from '@cqrs/transfers-domain';
import {
  createTestDatabase,
  deleteTopicsByPrefix,
  testInfra,
  uniqueId,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
} from '@cqrs/testing';
import { transfersProjectorService } from '../src/transfers-projector.service';

/**
 * The transfers read side served in process (ROLE=all) against real Postgres and Kafka: events
 * produced to its topic are projected, and the query API answers from them; only the sender
 * sees a transfer, the list pages newest first, and `Prefer: wait` ends on the verdict or on time.
 */
const infra = testInfra();
const TOKEN = 'int-internal-token-0123456789';
const tokens = consistencyTokens(TOKEN);
const topic = uniqueTopic('transfers');
let db: TestDatabase;
let service: ProjectorService;
let baseUrl: string;
let producer: Producer;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'transfers-read-model');
  const config = loadProjectorServiceConfig(
    transfersContext,
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      INTERNAL_TOKEN: TOKEN,
      TRANSFERS_EVENTS_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueId('transfers-projector'),
      CONSISTENCY_WAIT_MS: '5000',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
    },
    { defaultPort: 3005 },
  );
  // The transfer process's driver runs here too; its command services are not part of this
  // test (nothing listens on port 9), so the processes its events start only retry.
  const env = {
    ACCOUNTS_COMMAND_URL: 'http://127.0.0.1:9',
    TRANSFERS_COMMAND_URL: 'http://127.0.0.1:9',
    SYSTEM_TOKEN: 'read-model-test-system-token',
  };
  service = await createProjectorService(
    transfersProjectorService,
    { ...config, PORT: 0 },
    { env },
  );
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

async function call(path: string, headers: Record<string, string> = {}, actor = 'alice') {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { 'x-internal-token': TOKEN, 'x-actor-id': actor, ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

let clock = Date.parse('2025-01-01T00:00:00.000Z');
const at = (): string => new Date((clock += 1_000)).toISOString();
const fromAccountId = randomUUID();
const toAccountId = randomUUID();

function envelope(
  transferId: string,
  streamVersion: number,
  event: Pick<TransferEvent, 'type' | 'schemaVersion' | 'data'>,
): TransferEvent {
  return {
    eventId: randomUUID(),
    streamId: transferId,
    streamVersion,
    occurredAt: at(),
    metadata: { correlationId: 'c', causationId: 'c', actorId: 'alice' },
    ...event,
  } as TransferEvent;
}

const requested = (transferId: string, requestedBy = 'alice') =>
  envelope(transferId, 1, {
    type: 'TransferRequested',
    schemaVersion: 1,
    data: { transferId, fromAccountId, toAccountId, amount: 2500, currency: 'EUR', requestedBy },
  });
const completed = (transferId: string) =>
  envelope(transferId, 2, { type: 'TransferCompleted', schemaVersion: 1, data: { transferId } });
const failed = (transferId: string, failureCode: TransferFailureCode) =>
  envelope(transferId, 2, {
    type: 'TransferFailed',
    schemaVersion: 1,
    data: { transferId, failureCode },
  });

async function publish(...events: TransferEvent[]): Promise<void> {
  await producer.send({ topic, messages: events.map((event) => toKafkaMessage(event)) });
}

/** Reads with a consistency token, so the answer includes the stream up to `version`. */
const readAt = (transferId: string, version: number, actor = 'alice') =>
  call(
    `/transfers/${transferId}`,
    { 'x-consistency-token': tokens.encode({ streamId: transferId, version }) },
    actor,
  );

describe('the transfers read model', () => {
  it('given a transfer requested then completed, when the sender reads it, then it is completed with every field', async () => {
    const transferId = randomUUID();
    const request = requested(transferId);
    const verdict = completed(transferId);
    await publish(request, verdict);

    const read = await readAt(transferId, 2);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-consistency')).toBeNull();
    expect(read.body).toEqual({
      transferId,
      fromAccountId,
      toAccountId,
      amount: 2500,
      currency: 'EUR',
      status: 'completed',
      failureCode: null,
      createdAt: request.occurredAt,
      updatedAt: verdict.occurredAt,
      version: 2,
    });
  });

  it('given a failed transfer, when the sender reads it, then it is failed with its code', async () => {
    const transferId = randomUUID();
    await publish(requested(transferId), failed(transferId, 'TRANSFER_DESTINATION_UNAVAILABLE'));
    const read = await readAt(transferId, 2);
    expect(read.body).toMatchObject({
      status: 'failed',
      failureCode: 'TRANSFER_DESTINATION_UNAVAILABLE',
      version: 2,
    });
  });

  it("given alice's transfer, when bob reads it (the destination's owner included), then 404 TRANSFER_NOT_FOUND", async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    expect((await readAt(transferId, 1)).status).toBe(200);
    const read = await readAt(transferId, 1, 'bob');
    expect(read.status).toBe(404);
    expect(read.body).toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
    expect((await call(`/transfers/${randomUUID()}`)).status).toBe(404);
  });

  it("given carol's three transfers and one of dave's, when carol lists them a page of two at a time, then she gets hers, newest first, each once", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const daves = randomUUID();
    await publish(...ids.map((id) => requested(id, 'carol')), requested(daves, 'dave'));
    for (const id of ids) expect((await readAt(id, 1, 'carol')).status).toBe(200);

    const first = await call('/transfers?limit=2', {}, 'carol');
    expect(first.status).toBe(200);
    const items = first.body['items'] as { transferId: string }[];
    expect(items.map((t) => t.transferId)).toEqual([ids[2], ids[1]]);
    expect(first.body['nextCursor']).toEqual(expect.any(String));

    const second = await call(
      `/transfers?limit=2&cursor=${String(first.body['nextCursor'])}`,
      {},
      'carol',
    );
    expect(second.body).toEqual({
      items: [expect.objectContaining({ transferId: ids[0], status: 'pending' })],
      nextCursor: null,
    });
    const bad = await call('/transfers?cursor=bm90LWEtY3Vyc29y', {}, 'carol');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('Prefer: wait on GET /transfers/:transferId', () => {
  it('given a pending transfer, when the sender waits up to 5 s and the verdict comes after 300 ms, then the answer is the completed transfer, before the 5 s', async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    expect((await readAt(transferId, 1)).body).toMatchObject({ status: 'pending' });

    const started = Date.now();
    const waiting = call(`/transfers/${transferId}`, { prefer: 'wait=5' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(completed(transferId));
    const read = await waiting;
    const took = Date.now() - started;

    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'completed', version: 2 });
    expect(read.headers.get('preference-applied')).toBe('wait=5');
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(4_000);
  });

  it('given a pending transfer and no verdict, when the sender waits 1 s, then after about 1 s the answer is the pending transfer', async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    expect((await readAt(transferId, 1)).status).toBe(200);

    const started = Date.now();
    const read = await call(`/transfers/${transferId}`, { prefer: 'wait=1' });
    const took = Date.now() - started;
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'pending', version: 1 });
    expect(read.headers.get('preference-applied')).toBe('wait=1');
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(3_000);
  });

  it('given a settled transfer, when the sender waits, then it answers at once with Preference-Applied', async () => {
    const transferId = randomUUID();
    await publish(requested(transferId), failed(transferId, 'ACCOUNT_INSUFFICIENT_FUNDS'));
    expect((await readAt(transferId, 2)).status).toBe(200);
    const started = Date.now();
    const read = await call(`/transfers/${transferId}`, { prefer: 'respond-async, wait=10' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(read.body).toMatchObject({ status: 'failed' });
    expect(read.headers.get('preference-applied')).toBe('wait=10');
  });

  it("given alice's pending transfer, when bob waits on it, then 404 at once", async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    expect((await readAt(transferId, 1)).status).toBe(200);
    const started = Date.now();
    const read = await call(`/transfers/${transferId}`, { prefer: 'wait=5' }, 'bob');
    expect(read.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it.each(['wait=0', 'wait=11', 'wait=abc', 'wait=1.5'])(
    'given %p, when the sender reads, then 400 VALIDATION_FAILED naming the header',
    async (prefer) => {
      const read = await call(`/transfers/${randomUUID()}`, { prefer });
      expect(read.status).toBe(400);
      expect(read.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ header: 'prefer' })],
      });
      expect(read.headers.get('preference-applied')).toBeNull();
    },
  );
});
