import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import type { OpenAPI } from 'openapi-types';
import { consistencyTokens, createLogger } from '@cqrs/platform';
import { nodeRequire } from '../../test/support/esm-in-jest';
import { FIXTURE_ID, fixtureContext } from '../../test/support/fixture-context';

jest.mock('jose', () => nodeRequire('jose'));
import { SignJWT } from 'jose';
import { loadConfig } from '../config/gateway.config';
import { createGatewayApp, type GatewayApp } from '../http/create-gateway-app';
import { routeDrift } from '../openapi/route-drift';
import { registeredContexts } from '../contexts';
import { upstreamSlots } from './context-upstreams';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An upstream instance: ready, and answering every other request with 200 `{ seen: side }`. */
async function fakeUpstream(side: string) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { method = '', url = '', headers } = request;
      if (url !== '/health/ready')
        received.push({ method, url, headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ seen: side }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const SECRET = 'second-context-secret-of-at-least-32-chars';
const INTERNAL_TOKEN = 'second-context-internal-token';
const ID = FIXTURE_ID;
/**
 * A context the gateway has never heard of (the tests' fixture, defined with defineContext
 * only): registering its descriptor beside the real ones gives it routes, validation, upstream
 * groups, readiness, metrics and OpenAPI, with no gateway code of its own. Its upstreams are
 * tiny local HTTP servers that record what reached them.
 */
const contexts = [...registeredContexts, fixtureContext];
let commands: Awaited<ReturnType<typeof fakeUpstream>>;
let queries: Awaited<ReturnType<typeof fakeUpstream>>;
let gateway: GatewayApp;
let app: FastifyInstance;
let token: string;

/** The registered contexts' upstreams point nowhere; the parcels ones at the fakes. */
const environment = () => ({
  ...Object.fromEntries(
    upstreamSlots(registeredContexts).map(({ env }) => [env, 'http://127.0.0.1:9']),
  ),
  PARCELS_COMMAND_UPSTREAMS: commands.url,
  PARCELS_QUERY_UPSTREAMS: queries.url,
  INTERNAL_TOKEN,
  AUTH_JWT_SECRET: SECRET,
});

beforeAll(async () => {
  commands = await fakeUpstream('command');
  queries = await fakeUpstream('query');
  gateway = await createGatewayApp(
    loadConfig(environment(), contexts),
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
  await commands.close();
  await queries.close();
});

const send = (
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    headers: {
      authorization: `Bearer ${token}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
  });

describe('a second context, registered without gateway code', () => {
  it('needs its own upstream variables, named after it', () => {
    const { PARCELS_COMMAND_UPSTREAMS: _left, ...rest } = environment();
    expect(() => loadConfig(rest, contexts)).toThrow(/PARCELS_COMMAND_UPSTREAMS/);
    expect(loadConfig(environment(), contexts).upstreams.map((u) => u.group)).toEqual(
      expect.arrayContaining(['parcels-command', 'parcels-query']),
    );
  });

  it('proxies its commands to its command group, ids canonical, bodies as sent', async () => {
    const created = await send('POST', '/parcels', { weightGrams: 1200 });
    expect([created.statusCode, created.json()]).toEqual([200, { seen: 'command' }]);
    const shipped = await send(
      'POST',
      `/parcels/${ID}/shipments`,
      { carrier: 'post' },
      { 'idempotency-key': 'ship-1' },
    );
    expect([shipped.statusCode, shipped.json()]).toEqual([200, { seen: 'command' }]);
    const cancelled = await send('DELETE', `/parcels/${ID}`);
    expect(cancelled.statusCode).toBe(200);
    expect(commands.received.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: '/parcels', body: '{"weightGrams":1200}' },
      { method: 'POST', url: `/parcels/${ID.toLowerCase()}/shipments`, body: '{"carrier":"post"}' },
      { method: 'DELETE', url: `/parcels/${ID.toLowerCase()}`, body: '' },
    ]);
    expect(commands.received[1]?.headers).toMatchObject({
      'idempotency-key': 'ship-1',
      'x-actor-id': 'alice',
    });
  });

  it('proxies its queries to its query group, with the page and consistency token', async () => {
    const written = consistencyTokens(INTERNAL_TOKEN).encode({
      streamId: ID.toLowerCase(),
      version: 1,
    });
    const one = await send('GET', `/parcels/${ID}`, undefined, { 'x-consistency-token': written });
    expect([one.statusCode, one.json()]).toEqual([200, { seen: 'query' }]);
    const page = await send('GET', '/parcels?limit=5');
    expect(page.statusCode).toBe(200);
    expect(queries.received.map(({ url }) => url)).toEqual([
      `/parcels/${ID.toLowerCase()}`,
      '/parcels?limit=5',
    ]);
    expect(queries.received[0]?.headers['x-consistency-token']).toBe(written);
  });

  it('neither routes nor documents its internal commands: a 404, nothing forwarded', async () => {
    const before = commands.received.length;
    const internal = await send(
      'POST',
      `/internal/parcels/${ID}/recalls`,
      {},
      {
        'x-system-token': 'whatever-a-client-sends',
      },
    );
    expect(internal.statusCode).toBe(404);
    expect(internal.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(commands.received.length).toBe(before);
    expect(gateway.routes.map((route) => route.url)).not.toContain(
      '/internal/parcels/:parcelId/recalls',
    );
    expect(
      Object.keys(gateway.document.paths ?? {}).filter((p) => p.startsWith('/internal')),
    ).toEqual([]);
  });

  it('validates its path ids, bodies and Idempotency-Key with its own schemas', async () => {
    const before = commands.received.length;
    const badId = await send(
      'POST',
      '/parcels/nope/shipments',
      { carrier: 'post' },
      {
        'idempotency-key': 'k',
      },
    );
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ parameter: 'parcelId', message: 'must be a UUID' }],
    });
    const badBody = await send('POST', '/parcels', { weightGrams: 0, extra: true });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().code).toBe('VALIDATION_FAILED');
    const keyless = await send('POST', `/parcels/${ID}/shipments`, { carrier: 'post' });
    expect([keyless.statusCode, keyless.json().code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    expect(commands.received.length).toBe(before);
  });

  it('lists its groups in readiness and labels its upstream metrics with them', async () => {
    const ready = await app.inject({
      method: 'GET',
      url: '/health/ready',
      headers: { 'x-internal-token': INTERNAL_TOKEN },
    });
    const upstreams = ready.json<{ upstreams: Record<string, { instances: { url: string }[] }> }>()
      .upstreams;
    expect(upstreams['parcels-command']?.instances.map((i) => i.url)).toEqual([commands.url]);
    expect(upstreams['parcels-query']?.instances.map((i) => i.url)).toEqual([queries.url]);
    const metrics = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'x-internal-token': INTERNAL_TOKEN },
    });
    expect(metrics.body).toMatch(
      /gateway_upstream_duration_seconds_count\{[^}]*upstream="parcels-command"/,
    );
  });

  it('documents its operations, parameters, bodies, answers and problems under its own tag', async () => {
    const { document, routes } = gateway;
    expect(routeDrift(document, routes)).toEqual({ undocumented: [], notServed: [] });
    await expect(
      SwaggerParser.validate(structuredClone(document) as OpenAPI.Document),
    ).resolves.toBeDefined();
    expect(document.tags).toContainEqual({
      name: 'parcels',
      description: 'Parcels from registration to shipping.',
    });
    const ship = document.paths?.['/parcels/{parcelId}/shipments']?.post;
    expect(ship).toMatchObject({
      operationId: 'shipParcel',
      tags: ['parcels'],
      requestBody: { required: true },
      responses: {
        200: {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/ParcelCommandAccepted' } },
          },
        },
        409: { description: expect.stringContaining('PARCEL_ALREADY_SHIPPED') },
      },
    });
    expect((ship?.parameters ?? []).map((p) => ('name' in p ? [p.name, p.required] : []))).toEqual([
      ['parcelId', true],
      ['If-Match', false],
      ['Idempotency-Key', true],
    ]);
    expect(document.paths?.['/parcels']?.post?.responses?.['201']).toBeDefined();
    expect(document.paths?.['/parcels/{parcelId}']?.delete?.requestBody).toMatchObject({
      required: false,
    });
    expect(document.paths?.['/parcels/{parcelId}']?.get?.responses?.['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Parcel' } } },
    });
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['Parcel', 'ParcelsPage', 'ParcelCommandAccepted', 'Problem']),
    );
  });
});
