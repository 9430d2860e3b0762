import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { z } from 'zod';
import {
  ACTOR_HEADER,
  httpServiceEnv,
  INTERNAL_TOKEN_HEADER,
  parseConfig,
  registerAccessLog,
  registerCorrelation,
  registerInternalAuth,
  type AccessLogOptions,
} from '@cqrs/platform';

const TOKEN = 'internal-token-for-tests';

/** A logger writing into an array, one parsed object per line. */
function capturedLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { log: pino({ level }, destination), lines };
}

function service(log: pino.Logger, options?: AccessLogOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  registerCorrelation(app);
  registerInternalAuth(app, TOKEN);
  registerAccessLog(app, log, options);
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/accounts/:id', async () => ({ balance: 1 }));
  return app;
}

const fromGateway = {
  [INTERNAL_TOKEN_HEADER]: TOKEN,
  [ACTOR_HEADER]: 'alice',
  'x-correlation-id': 'corr-1',
};

describe('registerAccessLog', () => {
  it('given a routed request, when answered, then one line names method, route pattern, status, duration, correlation id and actor', async () => {
    const { log, lines } = capturedLogger();
    const app = service(log);
    await app.inject({ method: 'GET', url: '/accounts/acc-42?x=1', headers: fromGateway });
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      route: '/accounts/:id',
      status: 200,
      correlationId: 'corr-1',
      actor: 'alice',
    });
    expect(typeof line?.['durationMs']).toBe('number');
    expect(JSON.stringify(line)).not.toContain('acc-42');
  });

  it('given headers with secrets, when logged, then no header, token or body reaches the line', async () => {
    const { log, lines } = capturedLogger();
    const app = service(log);
    await app.inject({
      method: 'GET',
      url: '/accounts/1',
      headers: { ...fromGateway, authorization: 'Bearer secret.jwt.value' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('secret.jwt.value');
    expect(text).not.toContain('balance');
  });

  it('given a caller without the internal token, when refused, then the line has the 401 and no claimed actor', async () => {
    const { log, lines } = capturedLogger();
    const app = service(log);
    await app.inject({ method: 'GET', url: '/accounts/1', headers: { [ACTOR_HEADER]: 'mallory' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 401, route: '/accounts/:id' });
    expect(lines[0]?.['actor']).toBeUndefined();
  });

  it('given an unknown path, when answered 404, then the raw URL is not logged', async () => {
    const { log, lines } = capturedLogger();
    const app = service(log);
    await app.inject({ method: 'GET', url: '/nowhere/secret-id', headers: fromGateway });
    expect(lines[0]).toMatchObject({ status: 404 });
    expect(JSON.stringify(lines)).not.toContain('secret-id');
  });

  it('given a probe, when answered, then it is logged at debug only', async () => {
    const atInfo = capturedLogger('info');
    await service(atInfo.log).inject({ method: 'GET', url: '/health/live' });
    expect(atInfo.lines).toHaveLength(0);
    const atDebug = capturedLogger('debug');
    await service(atDebug.log).inject({ method: 'GET', url: '/health/live' });
    expect(atDebug.lines).toEqual([
      expect.objectContaining({ level: 20, route: '/health/live', status: 200 }),
    ]);
  });

  it('given ACCESS_LOG=false, when requests are answered, then nothing is logged', async () => {
    const { log, lines } = capturedLogger('debug');
    const app = service(log, { enabled: false });
    await app.inject({ method: 'GET', url: '/accounts/1', headers: fromGateway });
    expect(lines).toHaveLength(0);
  });
});

describe('ACCESS_LOG', () => {
  const settings = z.object(httpServiceEnv(3000));

  it('given no value, when parsed, then the access log is on; "false" or "0" turn it off', () => {
    expect(parseConfig(settings, {}).ACCESS_LOG).toBe(true);
    expect(parseConfig(settings, { ACCESS_LOG: 'false' }).ACCESS_LOG).toBe(false);
    expect(parseConfig(settings, { ACCESS_LOG: '0' }).ACCESS_LOG).toBe(false);
  });

  it('given a value that is no boolean, when parsed, then the refusal names the variable', () => {
    expect(() => parseConfig(settings, { ACCESS_LOG: 'off' })).toThrow(/ACCESS_LOG/);
  });
});
