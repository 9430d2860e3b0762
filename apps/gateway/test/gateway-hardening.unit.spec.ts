import type { FastifyInstance } from 'fastify';
import { nodeRequire } from './support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { SignJWT } from 'jose';
import type { GatewayApp } from '../src/http/create-gateway-app';
import { fixtureConfig, fixtureGateway, NOWHERE } from './support/fixture-gateway';

/**
 * What a client cannot do to the edge: read deployment details, outlast limits, fake a subject.
 * The gateway serves the fixture context only.
 */
const SECRET = 'hardening-unit-secret-of-at-least-32-chars';
const INTERNAL_TOKEN = 'hardening-unit-internal-token';
let gateway: GatewayApp;
let app: FastifyInstance;

const sign = (sub: string) =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

beforeAll(async () => {
  gateway = await fixtureGateway({
    INTERNAL_TOKEN,
    AUTH_JWT_SECRET: SECRET,
    RATE_LIMIT_PER_SUBJECT: '0',
    RATE_LIMIT_PER_IP: '0',
    HTTP_REQUEST_TIMEOUT_MS: '7000',
    HTTP_CONNECTION_TIMEOUT_MS: '25000',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '61000',
  });
  app = gateway.app.getHttpAdapter().getInstance();
  // Nothing listens on port 9: the first health round ejects both upstreams.
  await gateway.prober.probeOnce();
});

afterAll(async () => {
  await gateway.app.close();
  await gateway.closeUpstreams();
});

it('sets request, connection and keep-alive timeouts on the server from the config', () => {
  expect(app.server.requestTimeout).toBe(7_000);
  expect(app.server.timeout).toBe(25_000);
  expect(app.server.keepAliveTimeout).toBe(61_000);
});

it('refuses a connection timeout that would cut off a request waiting upstream', () => {
  expect(() =>
    fixtureConfig({ INTERNAL_TOKEN, AUTH_JWT_SECRET: SECRET, HTTP_CONNECTION_TIMEOUT_MS: '5000' }),
  ).toThrow(/HTTP_CONNECTION_TIMEOUT_MS/);
});

it('answers readiness with its status only, details only with the internal token', async () => {
  const open = await app.inject({ method: 'GET', url: '/health/ready' });
  expect(open.statusCode).toBe(503);
  expect(open.json()).toEqual({ status: 'not-ready' });
  expect(open.body).not.toContain('127.0.0.1');
  const wrong = await app.inject({
    method: 'GET',
    url: '/health/ready',
    headers: { 'x-internal-token': 'guessed-token-of-some-length' },
  });
  expect(wrong.json()).toEqual({ status: 'not-ready' });
  const operator = await app.inject({
    method: 'GET',
    url: '/health/ready',
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  expect(operator.statusCode).toBe(503);
  expect(operator.json().upstreams['parcels-command'].instances[0]).toMatchObject({
    url: NOWHERE,
    state: 'ejected',
    lastError: expect.any(String),
  });
});

it('serves metrics only with the internal token', async () => {
  const open = await app.inject({ method: 'GET', url: '/metrics' });
  expect(open.statusCode).toBe(401);
  expect(open.json().code).toBe('INTERNAL_AUTH_REQUIRED');
  const scraper = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  expect(scraper.statusCode).toBe(200);
  expect(scraper.body).toContain('gateway_upstream_healthy_instances');
});

it('refuses a token whose subject is not visible ASCII with 401 AUTH_INVALID_SUBJECT', async () => {
  for (const sub of ['alice ', ' alice', 'b\u00f6b', 'a\tb']) {
    const response = await app.inject({
      method: 'GET',
      url: '/parcels',
      headers: { authorization: `Bearer ${await sign(sub)}` },
    });
    expect([sub, response.statusCode, response.json().code]).toEqual([
      sub,
      401,
      'AUTH_INVALID_SUBJECT',
    ]);
  }
});

describe('the per-address limit', () => {
  let limited: GatewayApp;
  afterAll(async () => {
    await limited.app.close();
    await limited.closeUpstreams();
  });

  it('covers every route: health, metrics, docs, the OpenAPI document and unknown paths', async () => {
    limited = await fixtureGateway({
      INTERNAL_TOKEN,
      AUTH_JWT_SECRET: SECRET,
      RATE_LIMIT_PER_IP: '3',
    });
    const server = limited.app.getHttpAdapter().getInstance();
    const urls = ['/health/live', '/health/ready', '/metrics', '/docs', '/openapi.json', '/x'];
    for (const [n, url] of urls.entries()) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const remoteAddress = `10.0.0.${n}`;
        statuses.push((await server.inject({ method: 'GET', url, remoteAddress })).statusCode);
      }
      expect([url, statuses[3]]).toEqual([url, 429]);
    }
  });
});

it('answers a path it cannot decode with a 400 problem+json', async () => {
  const response = await app.inject({ method: 'GET', url: '/%' });
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json().code).toBe('VALIDATION_FAILED');
});
