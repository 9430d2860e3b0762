import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { nodeRequire } from './support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { SignJWT } from 'jose';
import type { GatewayApp } from '../src/http/create-gateway-app';
import { FIXTURE_ID } from './support/fixture-context';
import { fixtureConfig, fixtureGateway, fixtureUpstreams } from './support/fixture-gateway';

/**
 * `Prefer: wait` through the gateway, for any context's queries: the header goes to the query
 * service, its Preference-Applied comes back, and the upstream budget grows by the wait (up to
 * QUERY_PREFER_WAIT_MAX_MS), so a service holding the request on purpose is not cut off.
 */
const SECRET = 'prefer-wait-unit-secret-of-at-least-32-chars';
const INTERNAL_TOKEN = 'prefer-wait-unit-internal-token';
let upstream: http.Server;
/** What reached the upstream, and how long it waits before answering. */
const seen: http.IncomingHttpHeaders[] = [];
let delayMs = 0;
let gateway: GatewayApp;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  upstream = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/health/ready') return void response.end('{}');
      seen.push(request.headers);
      setTimeout(() => {
        const applied = request.headers['prefer'];
        response.writeHead(200, {
          'content-type': 'application/json',
          ...(typeof applied === 'string' ? { 'preference-applied': applied } : {}),
        });
        response.end('{"ok":true}');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await fixtureGateway({
    ...fixtureUpstreams(url),
    INTERNAL_TOKEN,
    AUTH_JWT_SECRET: SECRET,
    CONSISTENCY_WAIT_MS: '50',
    QUERY_TIMEOUT_MS: '600',
    QUERY_PREFER_WAIT_MAX_MS: '1000',
  });
  app = gateway.app.getHttpAdapter().getInstance();
  token = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
});

afterAll(async () => {
  await gateway.app.close();
  await gateway.closeUpstreams();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  delayMs = 0;
});

const get = (headers: Record<string, string> = {}) =>
  app.inject({
    method: 'GET',
    url: `/parcels/${FIXTURE_ID}`,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });

it('forwards Prefer to a query and passes Preference-Applied back', async () => {
  const reply = await get({ prefer: 'wait=1' });
  expect(reply.statusCode).toBe(200);
  expect(seen[0]?.['prefer']).toBe('wait=1');
  expect(reply.headers['preference-applied']).toBe('wait=1');
});

it('does not forward Prefer to a command', async () => {
  const reply = await app.inject({
    method: 'POST',
    url: '/parcels',
    payload: JSON.stringify({ weightGrams: 1200 }),
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      prefer: 'wait=1',
    },
  });
  expect(reply.statusCode).toBe(200);
  expect(seen[0]).toBeDefined();
  expect(seen[0]?.['prefer']).toBeUndefined();
});

it('gives a query with Prefer: wait=1 its budget plus 1 s, and one without only the budget', async () => {
  delayMs = 1_100;
  const waited = await get({ prefer: 'wait=1' });
  expect(waited.statusCode).toBe(200);
  expect(waited.json()).toEqual({ ok: true });

  const plain = await get();
  expect(plain.statusCode).toBe(503);
  expect(plain.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
});

it('counts a longer wait only up to QUERY_PREFER_WAIT_MAX_MS, and a malformed one not at all', async () => {
  delayMs = 1_900;
  expect((await get({ prefer: 'wait=5' })).statusCode).toBe(503);
  delayMs = 900;
  expect((await get({ prefer: 'wait=soon' })).statusCode).toBe(503);
});

it('refuses a connection timeout that a query waiting its longest Prefer would outlast', () => {
  const base = { INTERNAL_TOKEN, AUTH_JWT_SECRET: SECRET };
  expect(() => fixtureConfig({ ...base, HTTP_CONNECTION_TIMEOUT_MS: '15000' })).toThrow(
    /HTTP_CONNECTION_TIMEOUT_MS/,
  );
  expect(
    fixtureConfig({ ...base, HTTP_CONNECTION_TIMEOUT_MS: '15000', QUERY_PREFER_WAIT_MAX_MS: '0' })
      .QUERY_PREFER_WAIT_MAX_MS,
  ).toBe(0);
});
