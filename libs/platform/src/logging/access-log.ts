import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The authenticated subject: the gateway's verified JWT `sub`, or in an internal service the
     * X-Actor-Id the gateway stated (set by registerInternalAuth once the caller proved itself).
     */
    actorId?: string;
  }
}

/**
 * Operational routes: probes and scrapers call them every few seconds per instance, so at info
 * they would outnumber the requests an operator looks for. They go out at debug instead.
 */
const OPERATIONAL_ROUTES = /^\/(health\/|metrics$|projections\/status$)/;

export interface AccessLogOptions {
  /** ACCESS_LOG; false registers nothing, so a switched-off log costs nothing per request. */
  readonly enabled?: boolean;
}

/**
 * One line per answered request: method, route pattern (never the raw URL, which carries ids),
 * status, duration, correlation id and actor. Nothing else of the request is read: no
 * headers, tokens or bodies reach the log. onResponse runs after the answer is sent, so the
 * line costs the caller no latency, and it runs for refusals from earlier hooks (401, 429) too.
 */
export function registerAccessLog(
  app: FastifyInstance,
  log: Logger,
  options: AccessLogOptions = {},
): void {
  if (options.enabled === false) return;
  app.addHook('onResponse', (request, reply, done) => {
    const entry = accessLogEntry(request, reply);
    if (entry.route !== undefined && OPERATIONAL_ROUTES.test(entry.route))
      log.debug(entry, 'request');
    else log.info(entry, 'request');
    done();
  });
}

function accessLogEntry(request: FastifyRequest, reply: FastifyReply) {
  return {
    method: request.method,
    // Undefined when no route matched (404): the raw URL would let any caller write the log.
    route: request.routeOptions.url,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
    correlationId: request.correlationId,
    actor: request.actorId,
  };
}
