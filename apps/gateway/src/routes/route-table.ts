import type { z } from 'zod';
import type { AnyContext, CommandDescriptor, QueryDescriptor } from '@cqrs/context';
import { upstreamGroupName, type Side } from '../contexts/context-upstreams';

/**
 * One public route: where it goes and what it takes. The single description both the request
 * validation (ProxyEndpoint) and the OpenAPI document are made from, derived from a context's
 * command or query descriptor; the drift test checks it against the routes the server
 * actually registered.
 */
export interface GatewayRoute {
  operationId: string;
  method: 'GET' | CommandDescriptor['method'];
  /** fastify syntax: `/<context>/:<idParam>/<action>`. */
  path: string;
  /** The context that declares it (its OpenAPI tag). */
  context: AnyContext;
  side: Side;
  /** The upstream group it goes to: `<context>-<side>`. */
  upstream: string;
  summary: string;
  /** Path parameters; the aggregate id is canonicalised by the context's idSchema. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** An absent body is validated as `{}`. */
  bodyOptional?: boolean;
  /**
   * An Idempotency-Key is required (400 IDEMPOTENCY_KEY_REQUIRED), so a retry after an unknown
   * outcome (504) can never apply the command twice.
   */
  requiresIdempotencyKey?: boolean;
  /** `schema` names an OpenAPI component (a context schema, or its command answer). */
  success: {
    status: number;
    schema: string;
    description: string;
    /** The answer has a Location header (a command whose descriptor names one). */
    location?: boolean;
  };
  /** Problem statuses the route documents besides the ones every protected route has. */
  problems: readonly number[];
}

/** The OpenAPI component a context's commands answer with (`{ <idParam>, version, token }`). */
export const commandAnswerName = (context: AnyContext): string =>
  `${context.aggregate.name.charAt(0).toUpperCase()}${context.aggregate.name.slice(1)}CommandAccepted`;

/** The OpenAPI component of a command whose answer adds fixed fields (`PlaceOrderAccepted`). */
export const commandFieldsAnswerName = (command: CommandDescriptor): string =>
  `${command.operationId.charAt(0).toUpperCase()}${command.operationId.slice(1)}Accepted`;

/**
 * Whatever a route's params schema says of the aggregate id, the upstream gets its canonical
 * form (the stream id): the idSchema's output.
 */
function canonicalParams(
  context: AnyContext,
  params: z.ZodObject | undefined,
): z.ZodObject | undefined {
  const { idParam, idSchema } = context.aggregate;
  if (!params || !(idParam in params.shape)) return params;
  return params.extend({ [idParam]: idSchema });
}

function commandRoute(context: AnyContext, command: CommandDescriptor): GatewayRoute {
  return {
    operationId: command.operationId,
    method: command.method,
    path: command.path,
    context,
    side: 'command',
    upstream: upstreamGroupName(context.name, 'command'),
    summary: command.summary,
    params: canonicalParams(context, command.params),
    body: command.body,
    bodyOptional: command.bodyOptional,
    requiresIdempotencyKey: command.requiresIdempotencyKey,
    success: {
      status: command.success.status ?? (command.creates ? 201 : 200),
      schema: command.success.fields
        ? commandFieldsAnswerName(command)
        : commandAnswerName(context),
      description: command.success.description,
      location: command.success.location !== undefined,
    },
    problems: command.problems,
  };
}

function queryRoute(context: AnyContext, query: QueryDescriptor): GatewayRoute {
  return {
    operationId: query.operationId,
    method: query.method,
    path: query.path,
    context,
    side: 'query',
    upstream: upstreamGroupName(context.name, 'query'),
    summary: query.summary,
    params: canonicalParams(context, query.params),
    query: query.query,
    success: query.success,
    problems: query.problems,
  };
}

/**
 * Every public route of the registered contexts, commands first. Internal commands (for
 * services acting as the system) are left out: the gateway never routes them, so they are a
 * 404 here and in no public document. A route two contexts both claim (operationId, or method
 * and path) stops the gateway at boot: which one would win is not a question to settle at
 * runtime.
 */
export function buildRouteTable(contexts: readonly AnyContext[]): GatewayRoute[] {
  const routes = contexts.flatMap((context) => [
    ...context.commands
      .filter((command) => command.access === 'public')
      .map((command) => commandRoute(context, command)),
    ...context.queries.map((query) => queryRoute(context, query)),
  ]);
  const seen = new Map<string, string>();
  for (const route of routes) {
    const keys = [route.operationId, `${route.method} ${route.path.replace(/:\w+/g, ':')}`];
    for (const key of keys) {
      const owner = seen.get(key);
      if (owner !== undefined && owner !== route.context.name)
        throw new Error(`contexts "${owner}" and "${route.context.name}" both declare ${key}`);
      seen.set(key, route.context.name);
    }
  }
  return routes;
}
