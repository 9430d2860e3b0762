import http from 'node:http';
import fc from 'fast-check';
import { Client } from 'pg';
import {
  mintDevToken,
  STACK_INTERNAL_TOKEN,
  STACK_JWT_SECRET,
  testInfra,
  TestStack,
} from '@cqrs/testing';

/**
 * Generated hostile requests through the gateway to the real services: odd headers, garbage
 * and out-of-range cursors, tokens with odd subjects, malformed bodies, bad paths and methods.
 * None may get a 5xx, none may eject an upstream instance, and none may append an event.
 * Every generated command carries at least one defect that must stop it; queries need none
 * (they change nothing), so they reach SQL with whatever cursor was generated.
 */
const infra = testInfra();
let stack: TestStack;
let accountId: string;
let token: string;

jest.setTimeout(240_000);

const JSON_HEADERS = { 'content-type': 'application/json' };

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'hostile',
    commandInstances: 2,
    env: { gateway: { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_SUBJECT: '0', LOG_LEVEL: 'error' } },
  });
  token = stack.token('alice');
  const opened = await send({
    method: 'POST',
    path: '/accounts',
    headers: { authorization: `Bearer ${token}`, ...JSON_HEADERS },
    body: '{"currency":"EUR"}',
  });
  accountId = (JSON.parse(opened.body) as { accountId: string }).accountId;
  for (let i = 0; i < 3; i++) {
    await send({
      method: 'POST',
      path: `/accounts/${accountId}/deposits`,
      headers: {
        authorization: `Bearer ${token}`,
        'idempotency-key': `hostile-setup-${i}`,
        ...JSON_HEADERS,
      },
      body: '{"amount":100}',
    });
  }
});
afterAll(() => stack?.stop());

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** node:http, not fetch: fetch normalises headers and paths, and hostile ones must go as they are. */
function send(request: RawRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(stack.url);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: false,
        timeout: 20_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('latin1');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer to ${request.method} ${request.path}`)),
    );
    req.on('error', (error: Error & { code?: string; rawPacket?: Buffer }) => {
      // The server answered before the body was sent (a path it cannot even decode) and closed;
      // the body's bytes then drew Node's own 400. Both answers are in what we received.
      const status = /^HTTP\/1\.1 (\d{3})/.exec(error.rawPacket?.toString('latin1') ?? '')?.[1];
      if (error.code === 'HPE_CLOSED_CONNECTION' && status !== undefined)
        resolve({ status: Number(status), body: '' });
      else reject(error);
    });
    req.end(request.body);
  });
}

async function gatewayState(): Promise<unknown> {
  const ready = await fetch(`${stack.url}/health/ready`, {
    headers: { 'x-internal-token': STACK_INTERNAL_TOKEN },
  });
  const body = (await ready.json()) as {
    upstreams: Record<string, { instances: { url: string; state: string; since: string }[] }>;
  };
  // `since` changes on every ejection and re-admission: equal before and after means neither.
  return Object.values(body.upstreams).flatMap((group) =>
    group.instances.map(({ url, state, since }) => ({ url, state, since })),
  );
}

async function eventCount(): Promise<number> {
  const sql = new Client({ connectionString: stack.commandDb.url });
  await sql.connect();
  try {
    return (await sql.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
  } finally {
    await sql.end();
  }
}

/** Header values node:http will send: visible ASCII, space, tab and Latin-1, no CR or LF. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ' ')),
  fc.constantFrom(
    '',
    ' ',
    '"1"',
    '"-1"',
    '"99999999999999999999"',
    'W/"1"',
    '*',
    'x'.repeat(4_000),
    '\u00e9\u00e8',
    '../../etc/passwd',
    '{"$ne":null}',
    "' OR 1=1 --",
  ),
);

const b64 = (value: unknown): string =>
  Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
const uuid = '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11';
const cursor = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '!!', '%00', 'a'.repeat(600), '%ZZ', 'eyJ2Ijo', '='),
  fc
    .oneof(
      fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }),
      fc.double(),
      fc.constantFrom(1e308, -0, 2 ** 31 - 1, 2 ** 31, 0),
      fc.string({ maxLength: 5 }),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    )
    .map((v) => b64({ v })),
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          '2025-02-30T00:00:00Z',
          '2025-13-01T00:00:00Z',
          '2025-01-01T25:00:00Z',
          '0000-01-01T00:00:00Z',
          '99999-01-01T00:00:00Z',
          '2025-01-01T00:00:00.000000000Z',
          '2025-01-01',
          'infinity',
          '-infinity',
          'epoch',
          'now',
        ),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string({ maxLength: 24 }),
        fc.integer(),
      ),
      fc.oneof(
        fc.constant(uuid),
        fc.string({ maxLength: 40 }),
        fc.constant('00000000-0000-0000-0000-00000000000g'),
      ),
    )
    .map(([o, a]) => b64({ o, a })),
  fc.anything({ maxDepth: 2 }).map((value) => b64(value)),
);

const limit = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map(String),
  fc.constantFrom('0', '-1', '101', '1e2', '0x10', '99999999999999999999', '', '1.5', ' 5'),
);

/** Subjects a token may carry; the odd ones are refused before anything is forwarded. */
const oddSubject = fc.oneof(
  fc.constantFrom(
    'alice ',
    ' alice',
    'alice\t',
    'al ice',
    'alice\u0000',
    '\u00e5lice',
    'alice\r\nx-actor-id: bob',
    '',
    'a'.repeat(201),
    '\u{1F600}',
  ),
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(' ', '\t', '\u00e9', '\u0000', '\u{1F600}'),
      fc.string({ maxLength: 8 }),
    )
    .map(([before, odd, after]) => `${before}${odd}${after}`),
);

/** A bearer token that must not authenticate (so a command carrying it changes nothing). */
const badAuthorization = fc.oneof(
  oddSubject.map((sub) => `Bearer ${stack.token(sub)}`),
  fc
    .constantFrom(123, null, ['alice'], { id: 'alice' }, true)
    .map((sub) => `Bearer ${mintDevToken(STACK_JWT_SECRET, 'x', { extra: { sub } })}`),
  fc.constant('Bearer '),
  fc.constant(`Bearer ${mintDevToken('a-different-secret-of-the-same-length-000000', 'alice')}`),
  fc.constant(`Bearer ${mintDevToken(STACK_JWT_SECRET, 'alice', { ttlSeconds: -120 })}`),
  fc.constant(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', exp: 9e9 })}.`),
  headerValue.map((v) => `Bearer ${v}`),
  headerValue,
);

/** Bodies no command schema accepts. */
const badBody = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    'null',
    '[]',
    '{"amount":"5"}',
    '{"amount":5,"x":1}',
    '{"amount":0}',
    '{"amount":-5}',
    '{"amount":1.5}',
    '{"amount":1e400}',
    '{"amount":99999999999999999999999}',
    '{"currency":"eur"}',
    '{"currency":"EUR","__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    JSON.stringify({ amount: 5, pad: 'x'.repeat(20_000) }),
    '\u0000\u0001',
  ),
  fc.string({ maxLength: 60 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

const commandPath = fc.constantFrom(
  '/accounts',
  'ACCOUNT/deposits',
  'ACCOUNT/withdrawals',
  'ACCOUNT/close',
);

const badPath = fc.oneof(
  fc.constantFrom(
    '//accounts',
    '/accounts/',
    '/accounts/..%2f..%2fetc%2fpasswd',
    '/accounts/%00',
    '/ACCOUNTS',
    '/accounts/ACCOUNT/deposits/extra',
    '/accounts/ACCOUNT%2fdeposits',
    '/accounts/ACCOUNT/./deposits',
    '/accounts?limit=1&limit=2',
    '/accounts?cursor[]=x',
    '/accounts?cursor=a&cursor=b',
    `/accounts/${'a'.repeat(8_000)}`,
    '/health/../accounts',
    '/docs/../../accounts',
    '/openapi.json/x',
    '/metrics?x=1',
    '/%',
    '/accounts/%E0%A4%A',
  ),
  fc
    .array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 })
    .map((parts) => `/${parts.map((p) => encodeURIComponent(p)).join('/')}`),
);

const oddHeaders = fc.dictionary(
  fc.constantFrom(
    'if-match',
    'idempotency-key',
    'x-consistency-token',
    'x-correlation-id',
    'x-request-id',
    'x-actor-id',
    'x-internal-token',
    'x-forwarded-for',
    'accept',
    'accept-encoding',
    'content-encoding',
    'transfer-encoding-x',
    'origin',
    'cookie',
  ),
  headerValue,
  { maxKeys: 4 },
);

const hostile: fc.Arbitrary<RawRequest> = fc.oneof(
  // A command with a token that must not authenticate, whatever else it carries.
  fc
    .tuple(commandPath, badAuthorization, oddHeaders, fc.option(badBody))
    .map(([path, authorization, headers, body]) => ({
      method: 'POST',
      path,
      headers: { ...headers, authorization, ...JSON_HEADERS },
      body: body ?? '{"amount":5}',
    })),
  // A command with a good token and a body its schema refuses.
  fc.tuple(commandPath, badBody, oddHeaders).map(([path, body, headers]) => ({
    method: 'POST',
    path,
    headers: { ...headers, authorization: `Bearer ${token}`, ...JSON_HEADERS },
    body,
  })),
  // A command with a good token and body but a malformed conditional or idempotency header.
  fc
    .tuple(
      commandPath,
      fc.oneof(
        fc.constantFrom('3', '"x"', '"-1"', 'W/"1"', '"1", "2"').map((v) => ({ 'if-match': v })),
        fc
          .constantFrom('', 'has space', 'x'.repeat(201), '\u00e9')
          .map((v) => ({ 'idempotency-key': v })),
        fc
          .constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x')
          .map((v) => ({ 'content-type': v })),
      ),
    )
    .filter(([path, header]) => !(path === '/accounts' && 'if-match' in header))
    .map(([path, header]) => ({
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${token}`, ...JSON_HEADERS, ...header },
      body: path === '/accounts' ? '{"currency":"EUR"}' : '{"amount":5}',
    })),
  // A bad path or method, with a valid token and body.
  fc
    .tuple(badPath, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'))
    .map(([path, method]) => ({
      method,
      path,
      headers: { authorization: `Bearer ${token}`, ...JSON_HEADERS },
      body: method === 'GET' || method === 'HEAD' ? undefined : '{"amount":5}',
    })),
  // Queries with garbage cursors, limits and headers, on the caller's own account.
  fc
    .tuple(
      fc.constantFrom('/accounts', 'ACCOUNT/transactions', 'ACCOUNT'),
      cursor,
      fc.option(limit),
      oddHeaders,
    )
    .map(([path, c, l, headers]) => ({
      method: 'GET',
      path: `${path}?cursor=${encodeURIComponent(c)}${l === null ? '' : `&limit=${encodeURIComponent(l)}`}`,
      headers: { ...headers, authorization: `Bearer ${token}` },
    })),
);

const resolvePath = (path: string): string =>
  path.startsWith('ACCOUNT')
    ? `/accounts/${accountId}${path.slice(7)}`
    : path.replace('ACCOUNT', accountId);

it('answers generated hostile requests without a 5xx, an ejection or an appended event', async () => {
  const events = await eventCount();
  const upstreams = await gatewayState();
  const statuses = new Map<number, number>();
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(hostile, async (request) => {
      const answer = await send({ ...request, path: resolvePath(request.path) });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) {
        throw new Error(`${answer.status} for ${request.method} ${request.path}: ${answer.body}`);
      }
      // Every generated command carries a defect: none may be accepted.
      if (request.method === 'POST' && answer.status < 300) {
        throw new Error(
          `${answer.status} accepted ${JSON.stringify(request)}: ${answer.body.slice(0, 200)}`,
        );
      }
    }),
    {
      numRuns: 500,
      // Always tried: subjects a header would trim ("alice " acted as alice; " " as no one).
      examples: ['alice ', ' ', 'alice\t'].map((sub): [RawRequest] => [
        {
          method: 'POST',
          path: 'ACCOUNT/deposits',
          headers: { authorization: `Bearer ${stack.token(sub)}`, ...JSON_HEADERS },
          body: '{"amount":5}',
        },
      ]),
    },
  );
  console.log(
    `hostile requests: 500 in ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  expect(await gatewayState()).toEqual(upstreams);
  expect(await eventCount()).toBe(events);
  // The generators reached the different guards, and queries reached the query service.
  for (const status of [200, 400, 401, 404]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
});

it('answers out-of-range cursors 400 and keeps the query instance in rotation', async () => {
  const upstreams = await gatewayState();
  const crafted = [
    `/accounts/${accountId}/transactions?cursor=${b64({ v: 2 ** 31 })}`,
    `/accounts/${accountId}/transactions?cursor=${b64({ v: 1e15 })}`,
    `/accounts?cursor=${b64({ o: '2025-02-30T00:00:00Z', a: uuid })}`,
    `/accounts?cursor=${b64({ o: '2025-01-01T24:00:00Z', a: uuid })}`,
  ];
  for (let round = 0; round < 3; round++) {
    for (const path of crafted) {
      const answer = await send({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${token}` },
      });
      expect([path, answer.status]).toEqual([path, 400]);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  }
  expect(await gatewayState()).toEqual(upstreams);
});

it('keeps every command instance in rotation while one account is hammered', async () => {
  const upstreams = await gatewayState();
  const statuses = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      send({
        method: 'POST',
        path: `/accounts/${accountId}/deposits`,
        headers: {
          authorization: `Bearer ${token}`,
          'idempotency-key': `hammer-${i}`,
          ...JSON_HEADERS,
        },
        body: '{"amount":1}',
      }).then((answer) => answer.status),
    ),
  );
  const counts = statuses.reduce<Record<number, number>>(
    (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
    {},
  );
  console.log(`60 concurrent deposits to one account: ${JSON.stringify(counts)}`);
  // Whatever the command service answered under contention, the instances stay in rotation.
  expect(await gatewayState()).toEqual(upstreams);
});
