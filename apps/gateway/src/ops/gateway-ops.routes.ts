import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { UpstreamGroup } from '../upstream/upstream-group';
import type { GatewayMetrics } from './gateway-metrics';

/**
 * /health/live, /health/ready and /metrics. Ready means every upstream group has at least one
 * healthy instance (as the active health check last saw it); the answer lists each instance's
 * state either way, which is what an operator wants to see when it is 503.
 */
export function registerGatewayOpsRoutes(
  app: FastifyInstance,
  options: { registry: Registry; groups: readonly UpstreamGroup[]; metrics: GatewayMetrics },
): void {
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const upstreams = Object.fromEntries(
      options.groups.map((group) => [
        group.name,
        { healthy: group.healthyCount(), instances: group.snapshot() },
      ]),
    );
    const ready = options.groups.every((group) => group.healthyCount() > 0);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', upstreams });
  });
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('content-type', options.registry.contentType)
      .send(await options.registry.metrics()),
  );
  app.addHook('onResponse', (request, reply, done) => {
    options.metrics.requests.inc({
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    });
    done();
  });
}
