import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { AmountBodySchema, OpenAccountBodySchema } from '@cqrs/accounts-domain';
import { testInfra, TestStack } from '@cqrs/testing';

/**
 * Hundreds of generated malformed requests through the gateway: wrong types, extra fields, huge
 * numbers, bad JSON, bad ids, oversized bodies, wrong content types, bad query parameters.
 * None may get a 5xx, and none may append an event.
 */
const infra = testInfra();
let stack: TestStack;
let accountId: string;
let token: string;

jest.setTimeout(300_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'bad-input',
  });
  token = stack.token('fuzzer');
  const opened = await fetch(`${stack.url}/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ currency: 'EUR' }),
  });
  accountId = ((await opened.json()) as { accountId: string }).accountId;
});
afterAll(() => stack?.stop());

const eventCount = async (): Promise<number> => {
  const sql = new Client({ connectionString: stack.commandDb.url });
  await sql.connect();
  try {
    return (await sql.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
  } finally {
    await sql.end();
  }
};

interface Malformed {
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  body?: string;
}

const junkJson = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.record({
    amount: fc.oneof(
      fc.double(),
      fc.bigInt().map(String),
      fc.string(),
      fc.constant(null),
      fc.integer({ min: -1e12, max: 0 }),
    ),
  }),
  fc.record({ amount: fc.integer({ min: 1, max: 1000 }), extra: fc.anything({ maxDepth: 1 }) }),
  fc.constant({ amount: 1e300 }),
  fc.constant({ amount: Number.MAX_SAFE_INTEGER + 2 }),
  fc.record({ currency: fc.string({ maxLength: 6 }) }),
);

const badId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
  fc.constant('00000000-0000-0000-0000-00000000000g'),
  fc.constant('..%2f..%2f'),
  fc.constant('%00'),
);

const commandPath = (id: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    `/accounts/${id}/deposits`,
    `/accounts/${id}/withdrawals`,
    `/accounts/${id}/close`,
    '/accounts',
  );

const malformed: fc.Arbitrary<Malformed> = fc.oneof(
  // A body that fails the route's schema, on the caller's own account.
  fc
    .tuple(commandPath('ACCOUNT'), junkJson)
    // Judge the body as it goes over the wire: JSON drops `undefined` members, so
    // `{ amount: 1, extra: undefined }` is sent as a valid `{"amount":1}`.
    .map(([path, body]): [string, unknown] => [path, JSON.parse(JSON.stringify(body) ?? 'null')])
    .filter(([path, body]) => {
      if (path.endsWith('/close'))
        return !(
          typeof body === 'object' &&
          body !== null &&
          !Array.isArray(body) &&
          Object.keys(body).length === 0
        );
      const schema = path === '/accounts' ? OpenAccountBodySchema : AmountBodySchema;
      return !schema.safeParse(body).success;
    })
    .map(([path, body]) => ({
      method: 'POST' as const,
      path,
      contentType: 'application/json',
      body: JSON.stringify(body) ?? 'null',
    })),
  // A malformed id in the path with a valid body.
  fc.tuple(badId, fc.constantFrom('deposits', 'withdrawals', 'close')).map(([id, action]) => ({
    method: 'POST' as const,
    path: `/accounts/${encodeURIComponent(id)}/${action}`,
    contentType: 'application/json',
    body: JSON.stringify({ amount: 5 }),
  })),
  // Not JSON at all, under a JSON content type.
  fc
    .tuple(
      commandPath('ACCOUNT'),
      fc.string({ minLength: 1, maxLength: 50 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
    )
    .map(([path, body]) => ({
      method: 'POST' as const,
      path,
      contentType: 'application/json',
      body,
    })),
  // Wrong media types.
  fc
    .tuple(
      commandPath('ACCOUNT'),
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
      ),
    )
    .map(([path, contentType]) => ({
      method: 'POST' as const,
      path,
      contentType,
      body: 'amount=5',
    })),
  // Oversized bodies.
  fc
    .tuple(commandPath('ACCOUNT'), fc.integer({ min: 17 * 1024, max: 64 * 1024 }))
    .map(([path, size]) => ({
      method: 'POST' as const,
      path,
      contentType: 'application/json',
      body: JSON.stringify({ amount: 5, pad: 'x'.repeat(size) }),
    })),
  // Bad query parameters and ids on the read side.
  fc
    .oneof(
      fc
        .string({ maxLength: 10 })
        .filter((s) => !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 100)
        .map((limit) => `/accounts?limit=${encodeURIComponent(limit)}`),
      fc
        .string({ minLength: 1, maxLength: 30 })
        .map((cursor) => `/accounts?cursor=${encodeURIComponent(cursor)}`),
      badId.map((id) => `/accounts/${encodeURIComponent(id)}`),
      badId.map((id) => `/accounts/${encodeURIComponent(id)}/transactions`),
    )
    .map((path) => ({ method: 'GET' as const, path })),
);

it('answers every malformed request with a 4xx and appends nothing', async () => {
  const before = await eventCount();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(malformed, async (request) => {
      const response = await fetch(`${stack.url}${request.path.replace('ACCOUNT', accountId)}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          // Keyed, so the body and path guards are what refuses the money-moving commands.
          ...(request.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
          ...(request.contentType ? { 'content-type': request.contentType } : {}),
        },
        body: request.body,
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }),
    { numRuns: 400 },
  );
  expect(await eventCount()).toBe(before);
  // The generators did reach the different guards, not just one of them.
  for (const status of [400, 413, 415]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
});
