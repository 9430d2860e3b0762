import {
  createTestDatabase,
  startService,
  testInfra,
  uniqueId,
  uniqueTopic,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import {
  gatewayClient,
  INTERNAL_TOKEN,
  mintToken,
  TEST_AUDIENCE,
  TEST_JWT_SECRET,
} from './support/gateway-client';
import { everyUpstream } from '../support/upstream-env';

/**
 * The whole path through real processes: gateway -> 2 accounts-command instances (one
 * database) and accounts-projector (ROLE=all) over a real Kafka topic and real Postgres.
 */
const infra = testInfra();
const topic = uniqueTopic('gateway-stack');
let commandDb: TestDatabase;
let projectorDb: TestDatabase;
let commands: [ServiceProcess, ServiceProcess];
let projector: ServiceProcess;
let gateway: ServiceProcess;
let call: ReturnType<typeof gatewayClient>;
let alice: string;
let bob: string;

jest.setTimeout(90_000);

beforeAll(async () => {
  [commandDb, projectorDb] = await Promise.all([
    createTestDatabase(infra.databaseUrl, 'gateway-command'),
    createTestDatabase(infra.databaseUrl, 'gateway-projector'),
  ]);
  const shared = {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN,
    ACCOUNTS_EVENTS_TOPIC: topic,
  };
  projector = await startService('accounts-projector', {
    ...shared,
    DATABASE_URL: projectorDb.url,
    ROLE: 'all',
    KAFKA_GROUP_ID: uniqueId('gateway-stack'),
  });
  const commandEnv = { ...shared, DATABASE_URL: commandDb.url, OUTBOX_POLL_MS: '200' };
  // One after the other: both migrate on boot (advisory-locked, but no need to contend).
  const first = await startService('accounts-command', commandEnv);
  commands = [first, await startService('accounts-command', commandEnv)];
  // Live, not ready: the other contexts' upstreams are not started here, so the gateway is
  // never ready as a whole; it probes every instance once before it listens, and routes the
  // accounts groups, which are healthy.
  gateway = await startService(
    'gateway',
    {
      ...everyUpstream('http://127.0.0.1:9'),
      ACCOUNTS_COMMAND_UPSTREAMS: commands.map((c) => c.url).join(','),
      ACCOUNTS_QUERY_UPSTREAMS: projector.url,
      INTERNAL_TOKEN,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      AUTH_JWT_AUDIENCE: TEST_AUDIENCE,
      HEALTH_CHECK_INTERVAL_MS: '500',
    },
    { readyPath: '/health/live' },
  );
  call = gatewayClient(gateway.url);
  [alice, bob] = await Promise.all([mintToken('alice'), mintToken('bob')]);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([...(commands ?? []), projector].map((s) => s?.stop('SIGKILL')));
  await Promise.all([commandDb?.drop(), projectorDb?.drop()]);
});

async function openAccount(
  token: string,
): Promise<{ accountId: string; consistencyToken: string }> {
  const opened = await call('POST', '/accounts', { token, body: { currency: 'EUR' } });
  expect(opened.status).toBe(201);
  return opened.body;
}

it('smoke: open, deposit, then read your own write through the gateway', async () => {
  const { accountId } = await openAccount(alice);
  const deposit = await call('POST', `/accounts/${accountId}/deposits`, {
    token: alice,
    body: { amount: 2500 },
  });
  expect(deposit.status).toBe(200);
  expect(deposit.body).toEqual({ accountId, version: 2, consistencyToken: expect.any(String) });
  expect(deposit.headers.get('x-consistency-token')).toBe(deposit.body.consistencyToken);
  expect(deposit.headers.get('etag')).toBe('"2"');
  expect(deposit.headers.get('x-correlation-id')).toBeTruthy();

  const read = await call('GET', `/accounts/${accountId}`, {
    token: alice,
    headers: { 'x-consistency-token': deposit.body.consistencyToken },
  });
  expect(read.status).toBe(200);
  expect(read.headers.get('x-consistency')).toBeNull();
  expect(read.body).toMatchObject({
    accountId,
    ownerId: 'alice',
    balance: 2500,
    version: 2,
    status: 'open',
  });
  const transactions = await call('GET', `/accounts/${accountId}/transactions?limit=5`, {
    token: alice,
  });
  expect(transactions.body).toEqual({
    items: [
      expect.objectContaining({ type: 'deposit', amount: 2500, balanceAfter: 2500, version: 2 }),
    ],
    nextCursor: null,
  });
  const list = await call('GET', '/accounts?limit=100', { token: alice });
  expect(list.body.items.map((a: { accountId: string }) => a.accountId)).toContain(accountId);
});

it('refuses forged, unsigned, expired and foreign-audience tokens, and hides other owners', async () => {
  const { accountId } = await openAccount(alice);
  const deposit = await call('POST', `/accounts/${accountId}/deposits`, {
    token: alice,
    body: { amount: 100 },
  });
  expect(deposit.body.version).toBe(2);

  const header = (alg: string) =>
    Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
  const claims = Buffer.from(
    JSON.stringify({ sub: 'alice', aud: TEST_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 }),
  ).toString('base64url');
  const attacks: [string, string | undefined][] = [
    ['no token', undefined],
    [
      'forged signature',
      await mintToken('alice', { secret: 'another-secret-of-at-least-32-characters' }),
    ],
    ['alg none', `${header('none')}.${claims}.`],
    ['expired', await mintToken('alice', { ttl: '-1m' })],
    ['wrong audience', await mintToken('alice', { aud: 'another-api' })],
    ['other HMAC strength', await mintToken('alice', { alg: 'HS512' })],
  ];
  for (const [name, token] of attacks) {
    for (const [method, path, body] of [
      ['POST', `/accounts/${accountId}/withdrawals`, { amount: 100 }],
      ['GET', `/accounts/${accountId}`, undefined],
    ] as const) {
      const response = await call(method, path, { token, body });
      expect([
        name,
        method,
        response.status,
        response.headers.get('www-authenticate')?.split(' ')[0],
      ]).toEqual([name, method, 401, 'Bearer']);
    }
  }
  // Bob, even naming alice as the actor and guessing an internal token, sees nothing of hers.
  const spoof = { 'x-actor-id': 'alice', 'x-internal-token': INTERNAL_TOKEN };
  for (const [method, path, body] of [
    ['POST', `/accounts/${accountId}/withdrawals`, { amount: 100 }],
    ['POST', `/accounts/${accountId}/close`, undefined],
    ['GET', `/accounts/${accountId}`, undefined],
    ['GET', `/accounts/${accountId}/transactions`, undefined],
  ] as const) {
    const response = await call(method, path, { token: bob, body, headers: spoof });
    expect([method, path, response.status, response.body.code]).toEqual([
      method,
      path,
      404,
      'ACCOUNT_NOT_FOUND',
    ]);
  }
  expect((await call('GET', '/accounts', { token: bob, headers: spoof })).body.items).toEqual([]);

  // Nothing was appended: alice's next write is version 3, right after her deposit.
  const next = await call('POST', `/accounts/${accountId}/withdrawals`, {
    token: alice,
    body: { amount: 100 },
  });
  expect(next.body.version).toBe(3);
});

it('passes business problems through unchanged and stops bad input at the edge', async () => {
  const { accountId, consistencyToken } = await openAccount(alice);
  const overdraw = await call('POST', `/accounts/${accountId}/withdrawals`, {
    token: alice,
    body: { amount: 1 },
  });
  expect(overdraw.status).toBe(422);
  expect(overdraw.headers.get('content-type')).toContain('application/problem+json');
  expect(overdraw.body).toMatchObject({ code: 'ACCOUNT_INSUFFICIENT_FUNDS', status: 422 });
  const stale = await call('POST', `/accounts/${accountId}/deposits`, {
    token: alice,
    body: { amount: 1 },
    headers: { 'if-match': '"7"' },
  });
  expect([stale.status, stale.body.code]).toEqual([412, 'VERSION_CONFLICT']);

  const cases = [
    [
      await call('POST', `/accounts/${accountId}/deposits`, {
        token: alice,
        rawBody: JSON.stringify({ amount: 1, pad: 'x'.repeat(17_000) }),
      }),
      413,
    ],
    [
      await call('POST', `/accounts/${accountId}/deposits`, {
        token: alice,
        rawBody: 'amount=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    ],
    [
      await call('POST', `/accounts/${accountId}/deposits`, { token: alice, body: { amount: -5 } }),
      400,
    ],
    [await call('GET', '/accounts/not-a-uuid', { token: alice }), 400],
    [
      await call('GET', `/accounts/${accountId}`, {
        token: alice,
        headers: { 'x-consistency-token': '%%%' },
      }),
      400,
    ],
  ] as const;
  for (const [response, status] of cases) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  }
  // None of these reached the service: the account is still at version 1 (read with the
  // opening's token, so the projection has caught up at least that far).
  const read = await call('GET', `/accounts/${accountId}`, {
    token: alice,
    headers: { 'x-consistency-token': consistencyToken },
  });
  expect(read.status).toBe(200);
  expect(read.body.version).toBe(1);
});

it('repeats an idempotent command with the first outcome', async () => {
  const key = uniqueId('idem');
  const first = await call('POST', '/accounts', {
    token: alice,
    body: { currency: 'USD' },
    headers: { 'idempotency-key': key },
  });
  const again = await call('POST', '/accounts', {
    token: alice,
    body: { currency: 'USD' },
    headers: { 'idempotency-key': key },
  });
  expect(first.status).toBe(201);
  expect(again).toMatchObject({ status: 201, body: first.body });
});

it('balances commands over both instances and fails over when one is killed', async () => {
  const { accountId } = await openAccount(alice);
  const before = await perInstanceCount();
  for (let i = 0; i < 10; i++) {
    const r = await call('POST', `/accounts/${accountId}/deposits`, {
      token: alice,
      body: { amount: 1 },
    });
    expect(r.status).toBe(200);
  }
  const after = await perInstanceCount();
  for (const c of commands)
    expect((after.get(c.url) ?? 0) - (before.get(c.url) ?? 0)).toBeGreaterThanOrEqual(3);

  const [victim, survivor] = commands;
  await victim.stop('SIGKILL');
  for (let i = 0; i < 6; i++) {
    // Keyless commands too: a refused connection never reached the service, so it moves on.
    const headers: Record<string, string> =
      i % 2 === 0 ? { 'idempotency-key': uniqueId('failover') } : {};
    const r = await call('POST', `/accounts/${accountId}/deposits`, {
      token: alice,
      body: { amount: 1 },
      headers,
    });
    expect([i, r.status]).toEqual([i, 200]);
  }
  const ready = await call('GET', '/health/ready', {
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  // The gateway as a whole is not ready (no other context runs here); its accounts groups are.
  expect(ready.body.upstreams['accounts-command'].healthy).toBe(1);
  const states = Object.fromEntries(
    ready.body.upstreams['accounts-command'].instances.map((i: { url: string; state: string }) => [
      i.url,
      i.state,
    ]),
  );
  expect(states).toEqual({ [victim.url]: 'ejected', [survivor.url]: 'healthy' });
  // Every finished request released its slot: the balancer's counts are not leaking.
  expect(
    ready.body.upstreams['accounts-command'].instances.map(
      (i: { outstanding: number }) => i.outstanding,
    ),
  ).toEqual([0, 0]);
});

/** Successful command answers per instance, from the gateway's own upstream histogram. */
async function perInstanceCount(): Promise<Map<string, number>> {
  const metrics = await fetch(`${gateway.url}/metrics`, {
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  const text = (await metrics.text()).split('\n');
  const counts = new Map<string, number>();
  for (const line of text) {
    const match =
      /^gateway_upstream_duration_seconds_count\{.*upstream="accounts-command",instance="([^"]+)",outcome="2xx".*\} (\d+)/.exec(
        line,
      );
    if (match) counts.set(match[1]!, Number(match[2]));
  }
  return counts;
}
