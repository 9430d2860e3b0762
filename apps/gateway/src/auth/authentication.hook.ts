import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '@cqrs/platform';
import type { JwtVerifier } from './jwt-verifier';

/** Probes, scrapers and the docs carry no user data; everything else needs a bearer token. */
export const isOpenPath = (url: string): boolean =>
  /^\/(health\/|metrics(\?|$)|docs(\/|\?|$)|openapi\.json(\?|$))/.test(url);

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified JWT subject; set by the authentication hook on every protected route. */
    actorId?: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Authenticates in onRequest, before any body is read: an anonymous caller costs us a header
 * check, not a parse. The subject becomes `request.actorId`; `afterAuthentication` (the
 * per-subject rate limit) runs once it is known.
 */
export function registerAuthentication(
  app: FastifyInstance,
  verify: JwtVerifier,
  afterAuthentication: (request: FastifyRequest) => { retryAfterSeconds: number } | undefined,
): void {
  app.addHook('onRequest', async (request, reply) => {
    // CORS preflights carry no credentials by design; the CORS plugin answers them.
    if (request.method === 'OPTIONS' || isOpenPath(request.url)) return;
    const header = request.headers.authorization;
    if (header === undefined) {
      return sendProblem(
        reply,
        problem(401, 'AUTH_REQUIRED', 'Send Authorization: Bearer <JWT>.'),
        { 'www-authenticate': 'Bearer' },
      );
    }
    const match = BEARER.exec(header.trim());
    const result = match?.[1] === undefined ? undefined : await verify(match[1]);
    if (result === undefined || !result.ok) {
      if (result?.reason === 'unavailable') {
        return sendProblem(reply, problem(503, 'AUTH_UNAVAILABLE', result.detail), {
          'retry-after': '2',
        });
      }
      const detail = result?.detail ?? 'The Authorization header is not a bearer JWT.';
      const code =
        result?.reason === 'invalid-subject' ? 'AUTH_INVALID_SUBJECT' : 'AUTH_INVALID_TOKEN';
      return sendProblem(reply, problem(401, code, detail), {
        'www-authenticate': `Bearer error="invalid_token", error_description="${detail}"`,
      });
    }
    request.actorId = result.subject;
    const limited = afterAuthentication(request);
    if (limited !== undefined) {
      return sendProblem(
        reply,
        problem(429, 'RATE_LIMITED', 'Too many requests for this subject; slow down.'),
        { 'retry-after': String(limited.retryAfterSeconds) },
      );
    }
  });
}
