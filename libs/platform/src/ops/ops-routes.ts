import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { requestContext } from '../logging/request-context';

/** A readiness check: resolves with details when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

const VISIBLE_ASCII = /^[\x21-\x7e]{1,200}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's correlation id (see registerCorrelation). */
    correlationId?: string;
  }
}

/**
 * Gives every request a correlation id: the caller's X-Correlation-Id (or X-Request-Id) when it
 * is sane, a new UUID otherwise. It is echoed back and set on `request.correlationId`.
 * With `asyncContext` (the default) the request also runs inside a request context, so deep
 * code and every log line see the id without passing it around. That AsyncLocalStorage turns
 * on promise hooks for the whole process (Node 20), a per-promise tax a process that only
 * forwards (the gateway) does not need to pay.
 */
export function registerCorrelation(
  app: FastifyInstance,
  options: { asyncContext?: boolean } = {},
): void {
  const asyncContext = options.asyncContext ?? true;
  app.addHook('onRequest', (request, reply, done) => {
    const given = request.headers['x-correlation-id'] ?? request.headers['x-request-id'];
    const correlationId =
      typeof given === 'string' && VISIBLE_ASCII.test(given) ? given : randomUUID();
    request.correlationId = correlationId;
    void reply.header('x-correlation-id', correlationId);
    if (asyncContext) requestContext.run({ correlationId }, done);
    else done();
  });
}

/**
 * /health/live (the process runs), /health/ready (every dependency answers; 503 otherwise,
 * with each check's result) and /metrics (Prometheus text). Registered on the raw fastify
 * instance: they bypass the framework and never need authentication.
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  options: { registry: Registry; checks: Record<string, ReadinessCheck>; timeoutMs?: number },
): void {
  const timeoutMs = options.timeoutMs ?? 2_000;
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const entries = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const details = await Promise.race([
            check(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`no answer within ${timeoutMs} ms`)),
                timeoutMs,
              );
            }),
          ]);
          return [name, { status: 'up', ...(details ?? {}) }] as const;
        } catch (error) {
          return [
            name,
            { status: 'down', error: error instanceof Error ? error.message : String(error) },
          ] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ready = entries.every(([, result]) => result.status === 'up');
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not-ready',
      checks: Object.fromEntries<unknown>(entries),
    });
  });
  app.get('/metrics', async (_request, reply) => {
    return reply
      .header('content-type', options.registry.contentType)
      .send(await options.registry.metrics());
  });
}
