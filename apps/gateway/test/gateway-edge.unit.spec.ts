import type { FastifyInstance } from 'fastify';
import { nodeRequire } from './support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { SignJWT } from 'jose';
import type { GatewayApp } from '../src/http/create-gateway-app';
import { FIXTURE_ID as ID } from './support/fixture-context';
import { fixtureGateway } from './support/fixture-gateway';

/**
 * The edge, in memory (fastify inject), serving the fixture context only: everything refused
 * before an upstream is contacted. The upstreams point nowhere, so a request that got through
 * would be a 503, not a 400.
 */
const SECRET = 'edge-unit-secret-of-at-least-32-characters';
let gateway: GatewayApp;
let app: FastifyInstance;
let token: string;

const sign = (sub: string) =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

beforeAll(async () => {
  gateway = await fixtureGateway({
    INTERNAL_TOKEN: 'edge-unit-internal-token',
    AUTH_JWT_SECRET: SECRET,
    RATE_LIMIT_PER_SUBJECT: '20',
    RATE_LIMIT_PER_IP: '0',
  });
  app = gateway.app.getHttpAdapter().getInstance();
  token = await sign('alice');
});

afterAll(async () => {
  await gateway.app.close();
  await gateway.closeUpstreams();
});

/** The fixture's command that requires an Idempotency-Key. */
const KEYED = /\/shipments$/;

/** Shipments carry a key unless a test says otherwise (they require one). */
const send = (
  method: 'POST' | 'DELETE',
  url: string,
  payload?: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method,
    url,
    payload,
    headers: {
      authorization: `Bearer ${token}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...(KEYED.test(url) ? { 'idempotency-key': 'edge-unit-key' } : {}),
      ...headers,
    },
  });
const post = (url: string, payload?: string, headers: Record<string, string> = {}) =>
  send('POST', url, payload, headers);

it('requires an Idempotency-Key on the commands that declare it only (400 IDEMPOTENCY_KEY_REQUIRED)', async () => {
  // A subject of its own: the per-subject rate limit of this file is small.
  const authorization = `Bearer ${await sign('keyless')}`;
  const response = await app.inject({
    method: 'POST',
    url: `/parcels/${ID}/shipments`,
    payload: '{"carrier":"post"}',
    headers: { authorization, 'content-type': 'application/json' },
  });
  expect(response.statusCode).toBe(400);
  expect(response.json()).toMatchObject({
    code: 'IDEMPOTENCY_KEY_REQUIRED',
    errors: [{ header: 'idempotency-key' }],
  });
  // The other commands need no key (they pass validation to the upstream).
  for (const [method, url, payload] of [
    ['POST', '/parcels', '{"weightGrams":1}'],
    ['DELETE', `/parcels/${ID}`, '{}'],
  ] as const) {
    const other = await send(method, url, payload, { authorization });
    expect([url, other.statusCode]).not.toEqual([url, 400]);
  }
});

it('answers 401 problem+json with WWW-Authenticate without a valid bearer token', async () => {
  const missing = await app.inject({ method: 'GET', url: `/parcels/${ID}` });
  expect(missing.statusCode).toBe(401);
  expect(missing.headers['www-authenticate']).toBe('Bearer');
  expect(missing.headers['content-type']).toContain('application/problem+json');
  expect(missing.json()).toMatchObject({ code: 'AUTH_REQUIRED', status: 401 });
  for (const authorization of ['Bearer nonsense', `Basic ${token}`, `Bearer ${token}x`]) {
    const response = await app.inject({
      method: 'GET',
      url: '/parcels',
      headers: { authorization },
    });
    expect([authorization, response.statusCode, response.json().code]).toEqual([
      authorization,
      401,
      'AUTH_INVALID_TOKEN',
    ]);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  }
});

it('refuses bad input with 400 VALIDATION_FAILED and pointers', async () => {
  const cases: [Awaited<ReturnType<typeof post>>, object][] = [
    [await post('/parcels/not-a-uuid/shipments', '{"carrier":"post"}'), { parameter: 'parcelId' }],
    [await post('/parcels', '{"weightGrams":0}'), { pointer: '/weightGrams' }],
    [await post('/parcels', '{"weightGrams":1,"x":1}'), { pointer: '/x' }],
    [await post('/parcels', '{"weightGrams":1.5}'), { pointer: '/weightGrams' }],
    [await post(`/parcels/${ID}/shipments`, '{"carrier":""}'), { pointer: '/carrier' }],
    [await send('DELETE', `/parcels/${ID}`, '{"force":true}'), { pointer: '/force' }],
    [
      await post(`/parcels/${ID}/shipments`, '{"carrier":"post"}', { 'if-match': '3' }),
      { header: 'if-match' },
    ],
    [
      await post('/parcels', '{"weightGrams":1}', { 'idempotency-key': 'has space' }),
      { header: 'idempotency-key' },
    ],
    [await post(`/parcels/${ID}/shipments`, '{"carrier":'), { pointer: '' }],
  ];
  for (const [response, error] of cases) {
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining(error)],
    });
  }
  const query = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
  for (const response of [
    await query('/parcels?limit=0'),
    await query('/parcels?limit=101'),
    await query('/parcels?cursor=!!'),
    await query('/parcels/xyz'),
    await query(`/parcels/${ID}`, { 'x-consistency-token': 'not-a-token' }),
  ]) {
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  }
});

it('answers 413 for bodies over 16 KiB and 415 for anything but JSON', async () => {
  const big = await post(
    `/parcels/${ID}/shipments`,
    JSON.stringify({ carrier: 'post', pad: 'x'.repeat(17_000) }),
  );
  expect(big.statusCode).toBe(413);
  expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
  const text = await post(`/parcels/${ID}/shipments`, 'carrier=post', {
    'content-type': 'text/plain',
  });
  expect(text.statusCode).toBe(415);
  expect(text.headers['content-type']).toContain('application/problem+json');
});

it('answers 404 problem+json for unknown routes and leaves ops and docs open', async () => {
  const unknown = await app.inject({
    method: 'GET',
    url: '/nope',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().code).toBe('ROUTE_NOT_FOUND');
  for (const url of ['/health/live', '/openapi.json', '/docs']) {
    expect([url, (await app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 200]);
  }
});

it('sets security headers and echoes the correlation id', async () => {
  const response = await app.inject({
    method: 'GET',
    url: '/health/live',
    headers: { 'x-correlation-id': 'corr-123' },
  });
  expect(response.headers['x-correlation-id']).toBe('corr-123');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  expect(response.headers['access-control-allow-origin']).toBeUndefined();

  // API answers (here a 401 of a protected route) get the short, stricter set.
  const api = await app.inject({ method: 'GET', url: `/parcels/${ID}` });
  expect(api.statusCode).toBe(401);
  expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers['x-content-type-options']).toBe('nosniff');
  expect(api.headers['cache-control']).toBe('no-store');
  expect(api.headers['x-frame-options']).toBe('DENY');
});

it('limits requests per subject with 429 and Retry-After', async () => {
  const other = await sign('busy');
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 21; i++) {
    last = await app.inject({
      method: 'GET',
      url: '/parcels/bad',
      headers: { authorization: `Bearer ${other}` },
    });
    statuses.push(last.statusCode);
  }
  expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
  expect(last?.statusCode).toBe(429);
  expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
  expect(last?.json().code).toBe('RATE_LIMITED');
});
