import type { FastifyInstance } from 'fastify';
import { nodeRequire } from './support/esm-in-jest';

jest.mock('jose', () => nodeRequire('jose'));
import type { GatewayApp } from '../src/http/create-gateway-app';
import { FIXTURE_ID as ID } from './support/fixture-context';
import { fixtureGateway } from './support/fixture-gateway';

/**
 * Behind a proxy the per-address limit must apply per client, not to the proxy's one address,
 * and a client must not escape it by writing its own X-Forwarded-For. The gateway serves the
 * fixture context only.
 */
const PROXY = '10.1.2.3';

async function gatewayWith(trustProxy: string): Promise<GatewayApp> {
  return fixtureGateway({
    INTERNAL_TOKEN: 'edge-unit-internal-token',
    AUTH_JWT_SECRET: 'edge-unit-secret-of-at-least-32-characters',
    RATE_LIMIT_PER_IP: '2',
    RATE_LIMIT_PER_SUBJECT: '0',
    TRUST_PROXY: trustProxy,
  });
}

/** Status codes of `count` requests from `remoteAddress` claiming to forward `forwardedFor`. */
async function statuses(
  app: FastifyInstance,
  remoteAddress: string,
  forwardedFor: string | undefined,
  count: number,
): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await app.inject({
      method: 'GET',
      url: `/parcels/${ID}`,
      remoteAddress,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    });
    codes.push(response.statusCode);
  }
  return codes;
}

let gateways: GatewayApp[] = [];
afterEach(async () => {
  for (const gateway of gateways) {
    await gateway.app.close();
    await gateway.closeUpstreams();
  }
  gateways = [];
});

const open = async (trustProxy: string): Promise<FastifyInstance> => {
  const gateway = await gatewayWith(trustProxy);
  gateways.push(gateway);
  return gateway.app.getHttpAdapter().getInstance();
};

it('with one trusted hop, each client behind the proxy has its own budget', async () => {
  const app = await open('1');
  // 401: past the limiter, refused by authentication; 429: refused by the limiter.
  expect(await statuses(app, PROXY, '198.51.100.1', 3)).toEqual([401, 401, 429]);
  expect(await statuses(app, PROXY, '198.51.100.2', 2)).toEqual([401, 401]);
});

it('with one trusted hop, a client-written X-Forwarded-For entry is not believed', async () => {
  const app = await open('1');
  // The proxy appends the address it saw; only that last hop counts.
  expect(await statuses(app, PROXY, '203.0.113.9, 198.51.100.1', 2)).toEqual([401, 401]);
  expect(await statuses(app, PROXY, '203.0.113.10, 198.51.100.1', 1)).toEqual([429]);
});

it('with a trusted proxy address list, only those proxies are skipped', async () => {
  const app = await open('10.0.0.0/8');
  expect(await statuses(app, PROXY, '198.51.100.1', 3)).toEqual([401, 401, 429]);
  expect(await statuses(app, PROXY, '198.51.100.2', 1)).toEqual([401]);
  // A direct client (not a trusted proxy) cannot choose its address by header.
  expect(await statuses(app, '198.51.100.77', '1.1.1.1', 2)).toEqual([401, 401]);
  expect(await statuses(app, '198.51.100.77', '2.2.2.2', 1)).toEqual([429]);
});

it('without TRUST_PROXY the header is ignored', async () => {
  const app = await open('false');
  expect(await statuses(app, PROXY, '198.51.100.1', 2)).toEqual([401, 401]);
  expect(await statuses(app, PROXY, '198.51.100.2', 1)).toEqual([429]);
});
