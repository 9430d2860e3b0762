import { Writable } from 'node:stream';
import { nodeRequire } from './support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import { SignJWT } from 'jose';
import { createLogger } from '@cqrs/platform';
import { createGatewayApp, type GatewayApp } from '../src/http/create-gateway-app';
import { FIXTURE_ID as ID } from './support/fixture-context';
import { fixtureConfig } from './support/fixture-gateway';

/**
 * The gateway's access line, in memory (fastify inject): the route pattern and the verified
 * subject, never the bearer token; ACCESS_LOG=false writes none.
 */
const SECRET = 'access-log-secret-of-at-least-32-characters';
const gateways: GatewayApp[] = [];

async function gatewayLogging(env: Record<string, string> = {}) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const config = fixtureConfig({
    INTERNAL_TOKEN: 'access-log-internal-token',
    AUTH_JWT_SECRET: SECRET,
    ...env,
  });
  const gateway = await createGatewayApp(
    config,
    createLogger({ service: 'gateway', level: 'info', destination }),
  );
  gateways.push(gateway);
  const requests = () => lines.filter((line) => line['msg'] === 'request');
  return { app: gateway.app.getHttpAdapter().getInstance(), requests, lines };
}

const bearer = async (sub: string) =>
  `Bearer ${await new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET))}`;

afterAll(async () => {
  for (const gateway of gateways) {
    await gateway.app.close();
    await gateway.closeUpstreams();
  }
});

it('logs the route pattern, status, correlation id and verified subject of a request, not its token', async () => {
  const { app, requests, lines } = await gatewayLogging();
  const authorization = await bearer('alice');
  const answer = await app.inject({
    method: 'GET',
    url: `/parcels/${ID}`,
    headers: { authorization, 'x-correlation-id': 'edge-corr-1' },
  });
  expect(requests()).toEqual([
    expect.objectContaining({
      service: 'gateway',
      method: 'GET',
      route: '/parcels/:parcelId',
      status: answer.statusCode,
      correlationId: 'edge-corr-1',
      actor: 'alice',
      durationMs: expect.any(Number) as unknown,
    }),
  ]);
  const text = JSON.stringify(lines);
  expect(text).not.toContain(authorization.slice('Bearer '.length));
  expect(text).not.toContain(ID);
});

it('logs a refused caller without an actor, and probes not at info', async () => {
  const { app, requests } = await gatewayLogging();
  await app.inject({ method: 'GET', url: `/parcels/${ID}` });
  await app.inject({ method: 'GET', url: '/health/live' });
  expect(requests()).toEqual([
    expect.objectContaining({ route: '/parcels/:parcelId', status: 401 }),
  ]);
  expect(requests()[0]).not.toHaveProperty('actor');
});

it('writes no access line with ACCESS_LOG=false', async () => {
  const { app, requests } = await gatewayLogging({ ACCESS_LOG: 'false' });
  await app.inject({
    method: 'GET',
    url: `/parcels/${ID}`,
    headers: { authorization: await bearer('bob') },
  });
  expect(requests()).toEqual([]);
});
