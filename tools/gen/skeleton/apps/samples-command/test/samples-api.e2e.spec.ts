import { testInfra, TestStack } from '@cqrs/testing';

/**
 * The samples context through the whole stack: a command through the gateway to
 * samples-command, its event over Kafka to samples-projector, and the read back through the
 * gateway with the command's consistency token (read your own write, no polling).
 */
const infra = testInfra();
let stack: TestStack;

jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'samples-api',
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

it('given one sample created and renamed through the gateway, when read back with the consistency token, then the read model shows the rename', async () => {
  const alice = stack.token('alice');
  const created = await call('POST', '/samples', { token: alice, body: { title: 'First' } });
  expect(created.status).toBe(201);
  const sampleId = String(created.body['sampleId']);

  const renamed = await call('POST', `/samples/${sampleId}/rename`, {
    token: alice,
    body: { title: 'Second' },
  });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toEqual({ sampleId, version: 2, consistencyToken: expect.any(String) });

  const read = await call('GET', `/samples/${sampleId}`, {
    token: alice,
    headers: { 'x-consistency-token': String(renamed.body['consistencyToken']) },
  });
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ sampleId, ownerId: 'alice', title: 'Second', version: 2 });

  const list = await call('GET', '/samples?limit=5', { token: alice });
  expect(list.body).toMatchObject({ items: [{ sampleId, title: 'Second' }], nextCursor: null });
});

it("given alice's sample, when bob reads it, then 404 SAMPLE_NOT_FOUND (no existence leak)", async () => {
  const created = await call('POST', '/samples', {
    token: stack.token('alice'),
    body: { title: 'Private' },
  });
  const read = await call('GET', `/samples/${String(created.body['sampleId'])}`, {
    token: stack.token('bob'),
    headers: { 'x-consistency-token': String(created.body['consistencyToken']) },
  });
  expect(read.status).toBe(404);
  expect(read.body).toMatchObject({ code: 'SAMPLE_NOT_FOUND' });
});
