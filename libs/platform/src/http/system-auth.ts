import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem';

export const SYSTEM_TOKEN_HEADER = 'x-system-token';
/** The actor of whatever a system caller does: the events say "the system", not a user. */
export const SYSTEM_ACTOR = 'system';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route for other services acting as the system (SYSTEM_TOKEN), not for the gateway: the
     * gateway's check (registerInternalAuth) leaves it to the route's own systemAuth hook.
     */
    systemRoute?: boolean;
  }
}

const REQUIRED = problem(
  401,
  'SYSTEM_AUTH_REQUIRED',
  `This route is for internal services: send the system token in ${SYSTEM_TOKEN_HEADER}.`,
);
const INVALID = problem(403, 'SYSTEM_AUTH_INVALID', 'The system token is not valid.');

/**
 * The onRequest hook of a system route: the caller presents SYSTEM_TOKEN, a secret apart from
 * INTERNAL_TOKEN so the gateway (which holds that one) can never act as the system. Compared
 * in constant time; missing is 401, wrong is 403, both problem+json.
 */
export function systemAuth(token: string) {
  const expected = Buffer.from(token);
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    const given = request.headers[SYSTEM_TOKEN_HEADER];
    if (typeof given !== 'string' || given.length === 0) return sendProblem(reply, REQUIRED);
    const buffer = Buffer.from(given);
    if (buffer.length !== expected.length || !timingSafeEqual(buffer, expected))
      return sendProblem(reply, INVALID);
    request.actorId = SYSTEM_ACTOR;
    return undefined;
  };
}
