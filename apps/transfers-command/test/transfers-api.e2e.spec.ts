import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { toKafkaMessage, type TransferEvent } from '@cqrs/events';
import { consistencyTokens } from '@cqrs/platform';
import {
  gatewayRequest,
  STACK_INTERNAL_TOKEN,
  testInfra,
  TestStack,
  type GatewayRequest,
} from '@cqrs/testing';

/**
 * The transfers API's edges through the whole stack: the gateway validates POST /transfers and
 * the decider answers what it judges from the request (same account, a source that is not the
 * caller's); the read side answers through the gateway, `Prefer: wait` included. The read tests
 * publish the transfer events to the context's topic themselves, as the relay would, so each
 * verdict (or its absence) comes exactly when the test needs it; the real flow, POST to verdict,
 * is transfers-process.e2e.spec.ts.
 */
const infra = testInfra();
let stack: TestStack;
let producer: Producer;
const tokens = consistencyTokens(STACK_INTERNAL_TOKEN);

jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'transfers-api',
  });
  producer = new Kafka({ brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await stack?.stop();
});

/** A request through the gateway with the given token. */
const call = (
  method: 'GET' | 'POST',
  path: string,
  { token, ...options }: GatewayRequest & { token: string },
) => gatewayRequest(stack.url, token, method, path, options);

const keyed = () => ({ 'idempotency-key': randomUUID() });

describe('POST /transfers', () => {
  it('given a bad body, when posted, then 400 VALIDATION_FAILED with a pointer per field, nothing decided', async () => {
    const reply = await call('POST', '/transfers', {
      token: stack.token('alice'),
      body: { fromAccountId: 'nope', toAccountId: randomUUID(), amount: 0, note: 'x' },
      headers: keyed(),
    });
    expect(reply.status).toBe(400);
    expect(reply.body['code']).toBe('VALIDATION_FAILED');
    const pointers = (reply.body['errors'] as { pointer?: string }[]).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/fromAccountId', '/amount']));
    expect(pointers.length).toBeGreaterThanOrEqual(3);
  });

  it('given no Idempotency-Key, when posted, then 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    const reply = await call('POST', '/transfers', {
      token: stack.token('alice'),
      body: { fromAccountId: randomUUID(), toAccountId: randomUUID(), amount: 100 },
    });
    expect(reply.status).toBe(400);
    expect(reply.body['code']).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('given the same account as source and destination (in two cases), when posted, then 422 TRANSFER_SAME_ACCOUNT', async () => {
    const accountId = randomUUID();
    const reply = await call('POST', '/transfers', {
      token: stack.token('alice'),
      body: { fromAccountId: accountId, toAccountId: accountId.toUpperCase(), amount: 100 },
      headers: keyed(),
    });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body['code']).toBe('TRANSFER_SAME_ACCOUNT');
  });

  it("given bob's open account, when alice asks to transfer from it, then 404 ACCOUNT_NOT_FOUND as for account commands", async () => {
    const opened = await call('POST', '/accounts', {
      token: stack.token('bob'),
      body: { currency: 'EUR' },
    });
    expect(opened.status).toBe(201);
    const reply = await call('POST', '/transfers', {
      token: stack.token('alice'),
      body: {
        fromAccountId: String(opened.body['accountId']),
        toAccountId: randomUUID(),
        amount: 100,
      },
      headers: keyed(),
    });
    expect(reply.status).toBe(404);
    expect(reply.body['code']).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('GET /transfers through the gateway', () => {
  const publish = async (...events: TransferEvent[]) =>
    producer.send({
      topic: stack.topicOf('transfers'),
      messages: events.map((event) => toKafkaMessage(event)),
    });
  const event = (
    transferId: string,
    streamVersion: number,
    rest: Pick<TransferEvent, 'type' | 'schemaVersion' | 'data'>,
  ) =>
    ({
      eventId: randomUUID(),
      streamId: transferId,
      streamVersion,
      occurredAt: new Date().toISOString(),
      metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'alice' },
      ...rest,
    }) as TransferEvent;
  const requested = (transferId: string) =>
    event(transferId, 1, {
      type: 'TransferRequested',
      schemaVersion: 1,
      data: {
        transferId,
        fromAccountId: randomUUID(),
        toAccountId: randomUUID(),
        amount: 700,
        currency: 'EUR',
        requestedBy: 'alice',
      },
    });
  const completed = (transferId: string) =>
    event(transferId, 2, { type: 'TransferCompleted', schemaVersion: 1, data: { transferId } });
  const consistentWith = (transferId: string, version: number) => ({
    'x-consistency-token': tokens.encode({ streamId: transferId, version }),
  });

  it("given alice's requested transfer, when read with a consistency token, then alice sees it pending, listed first, and bob gets 404", async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    const read = await call('GET', `/transfers/${transferId}`, {
      token: stack.token('alice'),
      headers: consistentWith(transferId, 1),
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-consistency')).toBeNull();
    expect(read.body).toMatchObject({
      transferId,
      amount: 700,
      currency: 'EUR',
      status: 'pending',
      failureCode: null,
      version: 1,
    });
    const list = await call('GET', '/transfers?limit=1', { token: stack.token('alice') });
    expect(list.body).toMatchObject({ items: [{ transferId }] });

    const bob = await call('GET', `/transfers/${transferId}`, {
      token: stack.token('bob'),
      headers: consistentWith(transferId, 1),
    });
    expect(bob.status).toBe(404);
    expect(bob.body['code']).toBe('TRANSFER_NOT_FOUND');
  });

  it('given a pending transfer, when alice waits with Prefer: wait=5 and it completes meanwhile, then she gets it completed, with Preference-Applied', async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    const waiting = call('GET', `/transfers/${transferId}`, {
      token: stack.token('alice'),
      headers: { ...consistentWith(transferId, 1), prefer: 'wait=5' },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await publish(completed(transferId));
    const read = await waiting;
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'completed', version: 2 });
    expect(read.headers.get('preference-applied')).toBe('wait=5');
  });

  it('given a pending transfer and no verdict, when alice waits the longest (10 s), then the gateway lets the wait run out and she gets it pending', async () => {
    const transferId = randomUUID();
    await publish(requested(transferId));
    await call('GET', `/transfers/${transferId}`, {
      token: stack.token('alice'),
      headers: consistentWith(transferId, 1),
    });
    const started = Date.now();
    // 10 s is the gateway's plain query budget: without the Prefer allowance this is a 503.
    const read = await call('GET', `/transfers/${transferId}`, {
      token: stack.token('alice'),
      headers: { prefer: 'wait=10' },
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'pending' });
    expect(read.headers.get('preference-applied')).toBe('wait=10');
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_900);
  });

  it('given Prefer: wait=11, when alice reads, then 400 VALIDATION_FAILED naming the header', async () => {
    const read = await call('GET', `/transfers/${randomUUID()}`, {
      token: stack.token('alice'),
      headers: { prefer: 'wait=11' },
    });
    expect(read.status).toBe(400);
    expect(read.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ header: 'prefer' })],
    });
  });
});
