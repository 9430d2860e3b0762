import type { FastifyInstance } from 'fastify';
import { createLogger } from '@cqrs/platform';
import { nodeRequire } from '../support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { SignJWT } from 'jose';
import { loadConfig } from '../../src/config/gateway.config';
import { createGatewayApp, type GatewayApp } from '../../src/http/create-gateway-app';
import { everyUpstream } from '../support/upstream-env';

/** The edge, in memory (fastify inject): everything refused before an upstream is contacted. */
const SECRET = 'edge-unit-secret-of-at-least-32-characters';
const ID = '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11';
let gateway: GatewayApp;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  gateway = await createGatewayApp(
    loadConfig({
      // Nothing listens on port 9: a request that got through would be a 503, not a 400.
      ...everyUpstream('http://127.0.0.1:9'),
      INTERNAL_TOKEN: 'edge-unit-internal-token',
      AUTH_JWT_SECRET: SECRET,
      RATE_LIMIT_PER_SUBJECT: '20',
      RATE_LIMIT_PER_IP: '0',
    }),
    createLogger({ service: 'gateway-test', level: 'silent' }),
  );
  app = gateway.app.getHttpAdapter().getInstance();
  token = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
});

afterAll(async () => {
  await gateway.app.close();
  await gateway.closeUpstreams();
});

const MONEY = /\/(?:deposits|withdrawals)$/;

/** Deposits and withdrawals carry a key unless a test says otherwise (they require one). */
const post = (url: string, payload?: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      authorization: `Bearer ${token}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...(MONEY.test(url) ? { 'idempotency-key': 'edge-unit-key' } : {}),
      ...headers,
    },
  });

it('requires an Idempotency-Key on money-moving commands only (400 IDEMPOTENCY_KEY_REQUIRED)', async () => {
  // A subject of its own: the per-subject rate limit of this file is small.
  const own = await new SignJWT({ sub: 'keyless' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
  const authorization = `Bearer ${own}`;
  for (const path of ['deposits', 'withdrawals']) {
    const response = await app.inject({
      method: 'POST',
      url: `/accounts/${ID}/${path}`,
      payload: '{"amount":1}',
      headers: { authorization, 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REQUIRED',
      errors: [{ header: 'idempotency-key' }],
    });
  }
  // Opening and closing move no money: no key needed (they pass validation to the upstream).
  for (const [url, payload] of [
    ['/accounts', '{"currency":"EUR"}'],
    [`/accounts/${ID}/close`, '{}'],
  ] as const) {
    const response = await post(url, payload, { authorization });
    expect([url, response.statusCode]).not.toEqual([url, 400]);
  }
});

it('answers 401 problem+json with WWW-Authenticate without a valid bearer token', async () => {
  const missing = await app.inject({ method: 'GET', url: `/accounts/${ID}` });
  expect(missing.statusCode).toBe(401);
  expect(missing.headers['www-authenticate']).toBe('Bearer');
  expect(missing.headers['content-type']).toContain('application/problem+json');
  expect(missing.json()).toMatchObject({ code: 'AUTH_REQUIRED', status: 401 });
  for (const authorization of ['Bearer nonsense', `Basic ${token}`, `Bearer ${token}x`]) {
    const response = await app.inject({
      method: 'GET',
      url: '/accounts',
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
    [await post('/accounts/not-a-uuid/deposits', '{"amount":1}'), { parameter: 'accountId' }],
    [await post(`/accounts/${ID}/deposits`, '{"amount":0}'), { pointer: '/amount' }],
    [await post(`/accounts/${ID}/deposits`, '{"amount":1,"x":1}'), { pointer: '/x' }],
    [await post(`/accounts/${ID}/withdrawals`, '{"amount":1.5}'), { pointer: '/amount' }],
    [await post('/accounts', '{"currency":"eur"}'), { pointer: '/currency' }],
    [await post(`/accounts/${ID}/close`, '{"force":true}'), { pointer: '/force' }],
    [
      await post(`/accounts/${ID}/deposits`, '{"amount":1}', { 'if-match': '3' }),
      { header: 'if-match' },
    ],
    [
      await post('/accounts', '{"currency":"EUR"}', { 'idempotency-key': 'has space' }),
      { header: 'idempotency-key' },
    ],
    [await post(`/accounts/${ID}/deposits`, '{"amount":'), { pointer: '' }],
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
    await query('/accounts?limit=0'),
    await query('/accounts?limit=101'),
    await query(`/accounts/${ID}/transactions?cursor=!!`),
    await query('/accounts/xyz'),
    await query(`/accounts/${ID}`, { 'x-consistency-token': 'not-a-token' }),
  ]) {
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  }
});

it('answers 413 for bodies over 16 KiB and 415 for anything but JSON', async () => {
  const big = await post(
    `/accounts/${ID}/deposits`,
    JSON.stringify({ amount: 1, pad: 'x'.repeat(17_000) }),
  );
  expect(big.statusCode).toBe(413);
  expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
  const text = await post(`/accounts/${ID}/deposits`, 'amount=1', { 'content-type': 'text/plain' });
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
  const api = await app.inject({ method: 'GET', url: `/accounts/${ID}` });
  expect(api.statusCode).toBe(401);
  expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers['x-content-type-options']).toBe('nosniff');
  expect(api.headers['cache-control']).toBe('no-store');
  expect(api.headers['x-frame-options']).toBe('DENY');
});

it('limits requests per subject with 429 and Retry-After', async () => {
  const other = await new SignJWT({ sub: 'busy' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 21; i++) {
    last = await app.inject({
      method: 'GET',
      url: '/accounts/bad',
      headers: { authorization: `Bearer ${other}` },
    });
    statuses.push(last.statusCode);
  }
  expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
  expect(last?.statusCode).toBe(429);
  expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
  expect(last?.json().code).toBe('RATE_LIMITED');
});
