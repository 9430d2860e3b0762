import type { FastifyInstance } from 'fastify';
import type { CommandDescriptor } from '@cqrs/context';
import { registerProblemErrorHandler, systemAuth, type Logger } from '@cqrs/platform';
import type { CommandEndpoint } from './command-endpoint';
import { registerSummaryRoute, type SummaryRoute } from './summary-route';

/**
 * Every command of the descriptor as a route on the fastify instance: one handler, no
 * per-use-case controller to keep in step with the descriptor, and no framework router on the
 * hot path. The routes live in a scope of their own so their problem+json error handler (bad
 * JSON, body too large, wrong media type) does not replace the one Nest set on the root.
 *
 * Internal commands (and the aggregate summary) answer to the system token, not the gateway's:
 * without a `systemToken` they are not registered at all, so nothing can reach them.
 */
export async function registerCommandRoutes<Command>(
  app: FastifyInstance,
  context: {
    readonly aggregate: { readonly idParam: string; readonly name: string };
    readonly commands: readonly CommandDescriptor<Command>[];
  },
  endpoint: CommandEndpoint<Command>,
  log: Logger,
  system: { readonly token: string | undefined; readonly summary?: SummaryRoute } = {
    token: undefined,
  },
): Promise<void> {
  const { idParam, name: aggregate } = context.aggregate;
  const { token } = system;
  await app.register((scope, _options, done) => {
    registerProblemErrorHandler(scope, log);
    for (const command of context.commands) {
      const route = endpoint.route(command, idParam, aggregate);
      const internal = command.access === 'internal';
      if (internal && token === undefined) continue;
      scope.route({
        method: command.method,
        url: command.path,
        ...(internal && token !== undefined
          ? { config: { systemRoute: true }, onRequest: systemAuth(token) }
          : {}),
        handler: (request, reply) => endpoint.run(route, request, reply),
      });
    }
    if (token !== undefined && system.summary) registerSummaryRoute(scope, system.summary, token);
    done();
  });
}
