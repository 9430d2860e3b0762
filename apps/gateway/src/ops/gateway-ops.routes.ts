import type { FastifyInstance } from 'fastify';
import { opsAccess } from '@cqrs/platform';
import type { Registry } from 'prom-client';
import type { UpstreamGroup } from '../upstream/upstream-group';
import type { GatewayMetrics } from './gateway-metrics';

/**
 * /health/live, /health/ready and /metrics. Ready means every upstream group has at least one
 * healthy instance (as the active health check last saw it); with the internal token the answer
 * lists each instance's state and last error, which is what an operator wants to see when it is
 * 503 (and what nobody else may: URLs and error texts describe the deployment).
 */
export function registerGatewayOpsRoutes(
  app: FastifyInstance,
  options: {
    registry: Registry;
    groups: readonly UpstreamGroup[];
    metrics: GatewayMetrics;
    internalToken: string;
  },
): void {
  const access = opsAccess(options.internalToken);
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (request, reply) => {
    const upstreams = Object.fromEntries(
      options.groups.map((group) => [
        group.name,
        { healthy: group.healthyCount(), instances: group.snapshot() },
      ]),
    );
    const ready = options.groups.every((group) => group.healthyCount() > 0);
    const status = ready ? 'ready' : 'not-ready';
    return reply
      .code(ready ? 200 : 503)
      .send(access.allowsDetails(request) ? { status, upstreams } : { status });
  });
  app.get('/metrics', async (request, reply) => {
    if (!access.allowsDetails(request)) return access.refuseMetrics(reply);
    return reply
      .header('content-type', options.registry.contentType)
      .send(await options.registry.metrics());
  });
  app.addHook('onResponse', (request, reply, done) => {
    options.metrics.requests.inc({
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    });
    done();
  });
}
