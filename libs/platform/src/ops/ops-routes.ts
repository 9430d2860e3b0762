import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { hasInternalToken } from '../http/internal-auth';
import { problem, sendProblem } from '../http/problem';
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
 * The one rule for operational details: readiness details (dependency names, URLs, error
 * texts) and metrics describe the deployment and help an attacker, so only a caller holding the
 * internal token (X-Internal-Token: operators, scrapers) sees them. Probes need only the status.
 */
export const opsAccess = (internalToken: string) => ({
  allowsDetails: (request: FastifyRequest): boolean =>
    hasInternalToken(request.headers, internalToken),
  /** 401 for a caller without the token; `what` names the operational resource refused. */
  refuse: (reply: FastifyReply, what: string): FastifyReply =>
    sendProblem(
      reply,
      problem(
        401,
        'INTERNAL_AUTH_REQUIRED',
        `${what} need the internal token (X-Internal-Token, or Authorization: Bearer).`,
      ),
    ),
  refuseMetrics: (reply: FastifyReply): FastifyReply =>
    sendProblem(
      reply,
      problem(
        401,
        'INTERNAL_AUTH_REQUIRED',
        'Metrics need the internal token (X-Internal-Token, or Authorization: Bearer).',
      ),
    ),
});

/**
 * /health/live (the process runs), /health/ready (every dependency answers; 503 otherwise;
 * each check's result only with the internal token) and /metrics (Prometheus text, only with
 * the internal token). Registered on the raw fastify instance: they bypass the framework.
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  options: {
    registry: Registry;
    checks: Record<string, ReadinessCheck>;
    /** The shared X-Internal-Token that opens details and metrics. */
    internalToken: string;
    timeoutMs?: number;
  },
): void {
  const access = opsAccess(options.internalToken);
  const timeoutMs = options.timeoutMs ?? 2_000;
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (request, reply) => {
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
    const status = ready ? 'ready' : 'not-ready';
    return reply
      .code(ready ? 200 : 503)
      .send(
        access.allowsDetails(request)
          ? { status, checks: Object.fromEntries<unknown>(entries) }
          : { status },
      );
  });
  app.get('/metrics', async (request, reply) => {
    if (!access.allowsDetails(request)) return access.refuseMetrics(reply);
    return reply
      .header('content-type', options.registry.contentType)
      .send(await options.registry.metrics());
  });
}
