import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@cqrs/testing';
import { UpstreamClient, type UpstreamRequest } from '../src/upstream/upstream-client';
import { UpstreamGroup } from '../src/upstream/upstream-group';

/** Retry policy against real sockets: local HTTP servers stand in for service instances. */
const servers: http.Server[] = [];
const client = new UpstreamClient({ connections: 4 });

afterAll(async () => {
  await client.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

async function instance(status: number): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((request, response) => {
    hits++;
    request.resume();
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(`{"status":${status}}`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

const request = (overrides: Partial<UpstreamRequest>): UpstreamRequest => ({
  method: 'GET',
  path: '/parcels',
  headers: {},
  idempotent: true,
  timeoutMs: 2_000,
  ...overrides,
});

async function statusOf(group: UpstreamGroup, req: UpstreamRequest): Promise<number | string> {
  const result = await client.send(group, req);
  if (result.kind === 'unavailable') return result.reason;
  for await (const _chunk of result.body) void _chunk; // drain
  return result.statusCode;
}

it('moves a GET or a keyed command off an instance answering 503, but not a keyless command', async () => {
  const [failing, healthy] = await Promise.all([instance(503), instance(200)]);
  const fresh = () => new UpstreamGroup('test', [failing.url, healthy.url]);
  // Round-robin ties start at the first instance: the failing one is tried first.
  expect(await statusOf(fresh(), request({}))).toBe(200);
  expect(await statusOf(fresh(), request({ method: 'POST', idempotent: true, body: '{}' }))).toBe(
    200,
  );
  expect(await statusOf(fresh(), request({ method: 'POST', idempotent: false, body: '{}' }))).toBe(
    503,
  );
  expect(failing.hits()).toBe(3);
  expect(healthy.hits()).toBe(2);
});

it('moves any request off a refused connection (nothing was sent) and ejects the instance', async () => {
  const healthy = await instance(200);
  const group = new UpstreamGroup('test', [`http://127.0.0.1:${await freePort()}`, healthy.url]);
  expect(await statusOf(group, request({ method: 'POST', idempotent: false, body: '{}' }))).toBe(
    200,
  );
  expect(group.snapshot().map((i) => i.state)).toEqual(['ejected', 'healthy']);
  await new Promise((resolve) => setImmediate(resolve)); // 'close' follows the end
  expect(group.instances.map((i) => i.outstanding)).toEqual([0, 0]);
});

it('passes a 4xx through without a retry, and answers no-instance when all are out', async () => {
  const [conflict, other] = await Promise.all([instance(409), instance(200)]);
  const group = new UpstreamGroup('test', [conflict.url, other.url]);
  expect(await statusOf(group, request({}))).toBe(409);
  expect(other.hits()).toBe(0);
  for (const i of group.instances) group.recordProbe(i, false);
  expect(await statusOf(group, request({}))).toBe('no-instance');
});

it('keeps an instance in rotation whatever it answers: 4xx and 5xx are about the request', async () => {
  const answering = await Promise.all([500, 502, 503, 504, 400, 409].map((s) => instance(s)));
  for (const upstream of answering) {
    const group = new UpstreamGroup('test', [upstream.url]);
    for (let i = 0; i < 5; i++) {
      await statusOf(group, request({ method: 'POST', idempotent: false, body: '{}' }));
    }
    expect([upstream.url, group.snapshot()[0]!.state]).toEqual([upstream.url, 'healthy']);
  }
});

it('says a timed-out command may have been sent, and a refused one was not', async () => {
  const silent = http.createServer(() => undefined);
  servers.push(silent);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const command = request({ method: 'POST', idempotent: false, body: '{}', timeoutMs: 200 });
  const timedOut = await client.send(new UpstreamGroup('test', [silentUrl]), command);
  expect(timedOut).toMatchObject({ kind: 'unavailable', reason: 'timeout', maybeSent: true });
  const refused = await client.send(
    new UpstreamGroup('test', [`http://127.0.0.1:${await freePort()}`]),
    command,
  );
  expect(refused).toMatchObject({ kind: 'unavailable', reason: 'connection', maybeSent: false });
});
