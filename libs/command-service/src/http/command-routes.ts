import type { FastifyInstance } from 'fastify';
import type { CommandDescriptor } from '@cqrs/context';
import { registerProblemErrorHandler, type Logger } from '@cqrs/platform';
import type { CommandEndpoint } from './command-endpoint';

/**
 * Every command of the descriptor as a route on the fastify instance: one handler, no
 * per-use-case controller to keep in step with the descriptor, and no framework router on the
 * hot path. The routes live in a scope of their own so their problem+json error handler (bad
 * JSON, body too large, wrong media type) does not replace the one Nest set on the root.
 */
export async function registerCommandRoutes<Command>(
  app: FastifyInstance,
  context: {
    readonly aggregate: { readonly idParam: string; readonly name: string };
    readonly commands: readonly CommandDescriptor<Command>[];
  },
  endpoint: CommandEndpoint<Command>,
  log: Logger,
): Promise<void> {
  const { idParam, name: aggregate } = context.aggregate;
  await app.register((scope, _options, done) => {
    registerProblemErrorHandler(scope, log);
    for (const command of context.commands) {
      const route = endpoint.route(command, idParam, aggregate);
      scope.route({
        method: command.method,
        url: command.path,
        handler: (request, reply) => endpoint.run(route, request, reply),
      });
    }
    done();
  });
}
