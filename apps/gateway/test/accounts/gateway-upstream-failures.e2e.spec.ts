import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startService, type ServiceProcess } from '@cqrs/testing';
import {
  gatewayClient,
  INTERNAL_TOKEN,
  mintToken,
  TEST_JWT_SECRET,
} from './support/gateway-client';
import { everyUpstream } from '../support/upstream-env';

/**
 * Failing upstreams, played by tiny local HTTP servers (the gateway's own dependency boundary;
 * no Kafka or Postgres involved): down, silent, slow, answering problems.
 */
const ID = '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11';
const servers: http.Server[] = [];
const gateways: ServiceProcess[] = [];
let token: string;

jest.setTimeout(60_000);

beforeAll(async () => {
  token = await mintToken('alice');
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A fake upstream: ready, and answering the rest with `handler` (which may never answer). */
async function fakeUpstream(
  handler: http.RequestListener,
): Promise<{ url: string; seen: http.IncomingMessage[] }> {
  const seen: http.IncomingMessage[] = [];
  const server = http.createServer((request, response) => {
    if (request.url === '/health/ready') return void response.end('{"status":"ready"}');
    seen.push(request);
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function startGateway(
  env: Record<string, string>,
  readyPath = '/health/ready',
): Promise<ServiceProcess> {
  const gateway = await startService(
    'gateway',
    { INTERNAL_TOKEN, AUTH_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'error', ...env },
    { readyPath },
  );
  gateways.push(gateway);
  return gateway;
}

it('answers 503 with Retry-After at once when no upstream listens', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const gateway = await startGateway(everyUpstream(closed), '/health/live');
  const call = gatewayClient(gateway.url);
  for (const [method, path, body] of [
    ['POST', '/accounts', { currency: 'EUR' }],
    ['GET', `/accounts/${ID}`, undefined],
  ] as const) {
    const started = Date.now();
    const response = await call(method, path, { token, body });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(response.status).toBe(503);
    // Ejected instances are probed every 250 ms: a retry after 1 s can find one back.
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  }
  const ready = await call('GET', '/health/ready', {
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  expect(ready.status).toBe(503);
  expect(ready.body.upstreams['accounts-command'].instances[0]).toMatchObject({
    url: closed,
    state: 'ejected',
  });
});

it('answers a timed-out command 504 COMMAND_OUTCOME_UNKNOWN and a timed-out query 503', async () => {
  const silent = await fakeUpstream(() => undefined);
  const gateway = await startGateway({
    ...everyUpstream(silent.url),
    COMMAND_TIMEOUT_MS: '400',
    CONSISTENCY_WAIT_MS: '100',
    QUERY_TIMEOUT_MS: '700',
  });
  const call = gatewayClient(gateway.url);
  for (const [method, path, bound, status, code] of [
    ['POST', '/accounts', 400, 504, 'COMMAND_OUTCOME_UNKNOWN'],
    ['GET', '/accounts', 700, 503, 'UPSTREAM_UNAVAILABLE'],
  ] as const) {
    const started = Date.now();
    const response = await call(method, path, {
      token,
      body: method === 'POST' ? { currency: 'EUR' } : undefined,
    });
    const elapsed = Date.now() - started;
    expect([path, response.status, response.body?.code]).toEqual([path, status, code]);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    // A 503 invites a retry after Retry-After; an unknown outcome must not invite a blind one.
    expect(response.headers.get('retry-after') !== null).toBe(status === 503);
    expect(elapsed).toBeGreaterThanOrEqual(bound - 50);
    expect(elapsed).toBeLessThan(bound + 1_000);
  }
});

it('never ejects an instance for what it answered: 500s and 503s leave it in rotation', async () => {
  const statuses = [500, 503, 502, 504];
  let next = 0;
  const erring = await fakeUpstream((request, response) => {
    request.resume();
    const status = statuses[next++ % statuses.length]!;
    response.writeHead(status, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ status, code: 'SOMETHING' }));
  });
  // A long probe interval: only passive health could eject within this test.
  const gateway = await startGateway({
    ...everyUpstream(erring.url),
    HEALTH_CHECK_INTERVAL_MS: '60000',
    HEALTH_CHECK_EJECTED_INTERVAL_MS: '60000',
  });
  const call = gatewayClient(gateway.url);
  const seen: number[] = [];
  for (let i = 0; i < 12; i++) {
    const [method, path] =
      i % 2 === 0 ? ['POST', `/accounts/${ID}/deposits`] : ['GET', '/accounts'];
    const response = await call(method as 'GET' | 'POST', path, {
      token,
      body: method === 'POST' ? { amount: 5 } : undefined,
    });
    seen.push(response.status);
  }
  // Every request reached the instance and its answer came back as it was.
  expect(erring.seen).toHaveLength(12);
  expect(new Set(seen)).toEqual(new Set(statuses));
  const ready = await call('GET', '/health/ready', {
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  expect(ready.status).toBe(200);
  expect(ready.body.upstreams['accounts-command'].instances[0].state).toBe('healthy');
  expect(ready.body.upstreams['accounts-query'].instances[0].state).toBe('healthy');
});

it('forwards only what it should, and passes upstream problems through unchanged', async () => {
  const problemBody = JSON.stringify({
    type: 'https://cqrs-template.dev/problems/account-closed',
    title: 'Unprocessable Content',
    status: 422,
    detail: 'closed',
    code: 'ACCOUNT_CLOSED',
  });
  const upstream = await fakeUpstream((_request, response) => {
    response.writeHead(422, {
      'content-type': 'application/problem+json; charset=utf-8',
      'x-secret': 'no',
    });
    response.end(problemBody);
  });
  const gateway = await startGateway({
    ...everyUpstream(upstream.url),
  });
  const call = gatewayClient(gateway.url);
  const response = await fetch(`${gateway.url}/accounts/${ID.toUpperCase()}/deposits?x=1`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-actor-id': 'mallory',
      'x-internal-token': 'guessed',
      'idempotency-key': 'k-1',
      'x-correlation-id': 'corr-42',
      cookie: 'session=1',
    },
    body: '{"amount":5}',
  });
  expect(response.status).toBe(422);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(response.headers.get('x-secret')).toBeNull();
  expect(await response.text()).toBe(problemBody);

  const seen = upstream.seen.at(-1)!;
  expect(seen.url).toBe(`/accounts/${ID}/deposits`);
  expect(seen.headers).toMatchObject({
    'x-actor-id': 'alice',
    'x-internal-token': INTERNAL_TOKEN,
    'idempotency-key': 'k-1',
    'x-correlation-id': 'corr-42',
    'content-type': 'application/json',
  });
  expect(seen.headers.cookie).toBeUndefined();
  expect(seen.headers.authorization).toBeUndefined();
  void call;
});

it('drains in-flight requests on SIGTERM and exits 0', async () => {
  const slow = await fakeUpstream((_request, response) => {
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"items":[],"nextCursor":null}');
    }, 600);
  });
  const gateway = await startGateway({
    ...everyUpstream(slow.url),
  });
  const inFlight = gatewayClient(gateway.url)('GET', '/accounts', { token });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const exited = gateway.stop('SIGTERM');
  const response = await inFlight;
  expect(response).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
  expect(await exited).toBe(0);
});
