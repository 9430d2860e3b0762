import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './problem';
import './system-auth';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
export const ACTOR_HEADER = 'x-actor-id';

/**
 * Operational endpoints stay open for probes, scrapers and dashboards; they carry no user data,
 * and the ones with details (metrics, projection and worker status) check the internal token
 * themselves, without asking for an actor.
 */
const OPEN_PATHS =
  /^\/(health\/(live|ready)|metrics|projections\/status|workers\/[^/?]+\/[^/?]+)(\?|$)/;

function sameSecret(given: string, expected: Buffer): boolean {
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

/**
 * Whether the request carries the shared internal token: what opens operational details
 * (readiness details, metrics) to operators and scrapers, and nothing else. Constant-time.
 * Given as X-Internal-Token, or as `Authorization: Bearer <token>`, which is what Prometheus
 * sends from a scrape config's `authorization.credentials_file` (it sets no other header).
 */
export function hasInternalToken(
  headers: Record<string, string | string[] | undefined>,
  token: string,
): boolean {
  const expected = Buffer.from(token);
  const given = headers[INTERNAL_TOKEN_HEADER];
  if (typeof given === 'string') return sameSecret(given, expected);
  const bearer = /^Bearer (\S+)$/i.exec(String(headers['authorization'] ?? ''))?.[1];
  return bearer !== undefined && sameSecret(bearer, expected);
}

/**
 * Internal services trust the actor header (X-Actor-Id) only from the gateway. The gateway
 * proves itself with a shared secret (X-Internal-Token, from the environment of both), checked
 * before routing; health and metrics stay open for probes and scrapers. Together with the
 * network (only the gateway is published) this keeps a client from naming its own actor.
 * Routes marked `config.systemRoute` are skipped: they answer to the system token instead.
 */
export function registerInternalAuth(app: FastifyInstance, token: string): void {
  const expected = Buffer.from(token);
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_PATHS.test(request.url)) return;
    // A system route checks its own, different secret (systemAuth); the gateway's is no key to it.
    if (request.routeOptions.config.systemRoute === true) return;
    const given = request.headers[INTERNAL_TOKEN_HEADER];
    if (typeof given !== 'string' || !sameSecret(given, expected)) {
      return sendProblem(
        reply,
        problem(401, 'INTERNAL_AUTH_REQUIRED', 'This service accepts calls from the gateway only.'),
      );
    }
    const actor = request.headers[ACTOR_HEADER];
    if (typeof actor !== 'string' || actor.length === 0 || actor.length > 200) {
      return sendProblem(
        reply,
        problem(401, 'ACTOR_REQUIRED', 'The gateway did not name the authenticated actor.'),
      );
    }
    // Only now is the header the gateway's word: the access log names this actor.
    request.actorId = actor;
  });
}

/** The authenticated subject, as the gateway stated it (registerInternalAuth checked it exists). */
export const actorOf = (headers: Record<string, string | string[] | undefined>): string =>
  String(headers[ACTOR_HEADER]);
