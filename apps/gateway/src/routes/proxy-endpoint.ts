import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ACTOR_HEADER,
  INTERNAL_TOKEN_HEADER,
  parsePreferWait,
  PREFER_HEADER,
  PREFERENCE_APPLIED_HEADER,
  problem,
  sendProblem,
  type Logger,
} from '@cqrs/platform';
import type { UpstreamClient } from '../upstream/upstream-client';
import type { UpstreamGroup } from '../upstream/upstream-group';
import { checkRequest } from './request-validation';
import type { Side } from '../contexts/context-upstreams';
import type { GatewayRoute } from './route-table';

/** Request headers a service may act on; everything else (cookies, client X-Actor-Id...) stays here. */
const FORWARDED_REQUEST = ['if-match', 'idempotency-key', 'x-consistency-token'] as const;
/**
 * Forwarded to queries only: `Prefer` (RFC 7240), e.g. `wait=<s>` on a query that can wait for
 * an outcome. A service that supports none of its preferences ignores it, as the RFC says.
 */
const FORWARDED_QUERY_REQUEST = [PREFER_HEADER] as const;
/** Response headers a client may rely on. X-Correlation-Id is already ours (the same id). */
const PASSED_BACK = [
  'content-type',
  'x-consistency-token',
  'x-consistency',
  'etag',
  'retry-after',
  'location',
  PREFERENCE_APPLIED_HEADER,
] as const;

/**
 * Answers up to this size (the contract's JSON, a page of 100 rows included) are read whole and
 * sent with a Content-Length in one write; larger or unsized ones stream through.
 */
const BUFFERED_BODY_LIMIT = 256 * 1024;

export interface ProxyOptions {
  /** By group name (`<context>-<side>`), one for every route's `upstream`. */
  groups: ReadonlyMap<string, UpstreamGroup>;
  client: UpstreamClient;
  internalToken: string;
  timeoutMs: Record<Side, number>;
  /** A query's `Prefer: wait` lengthens its budget by the wait, counted up to this. */
  preferWaitMaxMs: number;
  /** Seconds a client should wait before retrying after a 503 of ours. */
  retryAfterSeconds: number;
  log: Logger;
}

/**
 * Forwards one validated request to its upstream group and streams the answer back: status,
 * body and the contract's headers pass through unchanged (problem+json included). The actor is
 * the verified JWT subject, never a header the client sent.
 */
export class ProxyEndpoint {
  constructor(private readonly options: ProxyOptions) {}

  async forward(
    route: GatewayRoute,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const actorId = request.actorId;
    if (actorId === undefined) {
      // Unreachable while the authentication hook guards every public route; fail closed.
      return sendProblem(
        reply,
        problem(401, 'AUTH_REQUIRED', 'Send Authorization: Bearer <JWT>.'),
        {
          'www-authenticate': 'Bearer',
        },
      );
    }
    const checked = checkRequest(route, request);
    if (!checked.ok) return sendProblem(reply, checked.problem);

    const headers: Record<string, string> = {
      accept: 'application/json',
      [INTERNAL_TOKEN_HEADER]: this.options.internalToken,
      [ACTOR_HEADER]: actorId,
      'x-correlation-id': request.correlationId ?? request.id,
      'x-forwarded-for': request.ip,
    };
    for (const name of route.side === 'query'
      ? [...FORWARDED_REQUEST, ...FORWARDED_QUERY_REQUEST]
      : FORWARDED_REQUEST) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (checked.body !== undefined) headers['content-type'] = 'application/json';

    const group = this.options.groups.get(route.upstream);
    if (group === undefined) throw new Error(`no upstream group ${route.upstream}`);
    const result = await this.options.client.send(group, {
      method: route.method,
      path: checked.path,
      headers,
      body: checked.body,
      idempotent: route.method === 'GET' || headers['idempotency-key'] !== undefined,
      timeoutMs: this.timeoutMs(route, headers),
      // The response closing before we wrote it means the client went away. After the answer
      // the listener finds the response ended and does nothing, so it need not be removed.
      onClientGone: (cancel) =>
        reply.raw.once('close', () => {
          if (!reply.raw.writableEnded) cancel();
        }),
    });

    if (result.kind === 'unavailable') {
      if (result.maybeSent && route.side === 'command') return this.outcomeUnknown(reply, route);
      return this.unavailable(reply, route, result.detail);
    }
    if (result.statusCode === 401) {
      // The service refused *us* (X-Internal-Token mismatch): a deployment fault, not the
      // client's; a 401 would wrongly tell it to fix its token.
      result.body.resume();
      this.options.log.error({ upstream: route.upstream }, 'upstream refused the internal token');
      return this.unavailable(reply, route, 'upstream refused the gateway');
    }
    for (const name of PASSED_BACK) {
      const value = result.headers[name];
      if (value !== undefined) void reply.header(name, value);
    }
    const length = Number(result.headers['content-length']);
    const payload =
      length <= BUFFERED_BODY_LIMIT ? Buffer.from(await result.body.arrayBuffer()) : result.body;
    return reply.code(result.statusCode).send(payload);
  }

  /**
   * The side's budget, plus a query's `Prefer: wait` (up to the configured maximum): the service
   * holds such a request on purpose, and cutting it off at the plain budget would turn an
   * accepted wait into a 503. A malformed wait adds nothing; the service refuses it at once.
   */
  private timeoutMs(route: GatewayRoute, forwarded: Readonly<Record<string, string>>): number {
    const budget = this.options.timeoutMs[route.side];
    if (route.side !== 'query') return budget;
    const wait = parsePreferWait(forwarded[PREFER_HEADER]);
    if (wait.kind !== 'wait') return budget;
    return budget + Math.min(wait.seconds * 1_000, this.options.preferWaitMaxMs);
  }

  /**
   * The command may have been applied: we sent it and then gave up waiting (timeout) or lost
   * the connection. A 503 would invite a blind retry that could apply it twice; a 504 says
   * "unknown", and only a retry with the same Idempotency-Key is safe.
   */
  private outcomeUnknown(reply: FastifyReply, route: GatewayRoute): FastifyReply {
    this.options.log.warn({ upstream: route.upstream }, 'command outcome unknown');
    return sendProblem(
      reply,
      problem(
        504,
        'COMMAND_OUTCOME_UNKNOWN',
        'The command may or may not have been applied. Retry it only with the same Idempotency-Key.',
      ),
    );
  }

  private unavailable(reply: FastifyReply, route: GatewayRoute, detail: string): FastifyReply {
    this.options.log.warn({ upstream: route.upstream, detail }, 'upstream unavailable');
    return sendProblem(
      reply,
      problem(
        503,
        'UPSTREAM_UNAVAILABLE',
        `The ${route.upstream} service is unavailable; retry shortly.`,
      ),
      { 'retry-after': String(this.options.retryAfterSeconds) },
    );
  }
}
