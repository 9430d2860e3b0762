import { testInfra, TestStack } from '@cqrs/testing';

/**
 * The transfers context through the whole stack: a command through the gateway to
 * transfers-command, its event over Kafka to transfers-projector, and the read back through the
 * gateway with the command's consistency token (read your own write, no polling).
 */
const infra = testInfra();
let stack: TestStack;

jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'transfers-api',
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  options: { token: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

it('given one transfer created and renamed through the gateway, when read back with the consistency token, then the read model shows the rename', async () => {
  const alice = stack.token('alice');
  const created = await call('POST', '/transfers', { token: alice, body: { title: 'First' } });
  expect(created.status).toBe(201);
  const transferId = String(created.body['transferId']);

  const renamed = await call('POST', `/transfers/${transferId}/rename`, {
    token: alice,
    body: { title: 'Second' },
  });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toEqual({ transferId, version: 2, consistencyToken: expect.any(String) });

  const read = await call('GET', `/transfers/${transferId}`, {
    token: alice,
    headers: { 'x-consistency-token': String(renamed.body['consistencyToken']) },
  });
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ transferId, ownerId: 'alice', title: 'Second', version: 2 });

  const list = await call('GET', '/transfers?limit=5', { token: alice });
  expect(list.body).toMatchObject({ items: [{ transferId, title: 'Second' }], nextCursor: null });
});

it("given alice's transfer, when bob reads it, then 404 TRANSFER_NOT_FOUND (no existence leak)", async () => {
  const created = await call('POST', '/transfers', {
    token: stack.token('alice'),
    body: { title: 'Private' },
  });
  const read = await call('GET', `/transfers/${String(created.body['transferId'])}`, {
    token: stack.token('bob'),
    headers: { 'x-consistency-token': String(created.body['consistencyToken']) },
  });
  expect(read.status).toBe(404);
  expect(read.body).toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
});
