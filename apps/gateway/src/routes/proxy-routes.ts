import type { FastifyInstance } from 'fastify';
import { registerProblemErrorHandler, type Logger } from '@cqrs/platform';
import type { ProxyEndpoint } from './proxy-endpoint';
import type { GatewayRoute } from './route-table';

/**
 * The public API is data (the route table), so its routes are registered straight from it on
 * the fastify instance: one handler, no per-route controller to keep in step with the table,
 * and no framework router or middleware layer on the hot path (every command passes here).
 * They live in a scope of their own so their problem+json error handler (bad JSON, body too
 * large, wrong media type) does not replace the one Nest set on the root.
 */
export async function registerProxyRoutes(
  app: FastifyInstance,
  routes: readonly GatewayRoute[],
  proxy: ProxyEndpoint,
  log: Logger,
): Promise<void> {
  await app.register((scope, _options, done) => {
    registerProblemErrorHandler(scope, log);
    for (const route of routes) {
      scope.route({
        method: route.method,
        url: route.path,
        handler: (request, reply) => proxy.forward(route, request, reply),
      });
    }
    done();
  });
}
