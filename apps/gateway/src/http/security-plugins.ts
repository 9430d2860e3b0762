import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Security headers for what a browser may render here (Swagger UI, the OpenAPI document, the
 * ops routes), with a CSP just open enough for Swagger UI at /docs (its scripts and styles are served from here; it sets inline styles
 * and data: images). No upgrade-insecure-requests: TLS ends in front of the gateway, and the
 * directive would break the docs on plain-HTTP development setups.
 */
export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
};

/**
 * The headers helmet would set, computed once. No nonces are used, so they are the same on
 * every answer; @fastify/helmet instead rebuilds helmet (and re-parses the CSP) per request,
 * which was ~7% of the gateway's CPU on the command path.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * The API's JSON answers get the short set the OWASP REST Security Cheat Sheet asks for: a CSP
 * that allows nothing (a JSON answer never needs to load anything), no framing, no sniffing,
 * HSTS, no caching of the caller's data, no referrer. Half the bytes of the full set on every
 * command and query, for the client to parse too.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function registerSecurityPlugins(
  app: FastifyInstance,
  options: { corsOrigins: readonly string[]; isBrowsablePath: (url: string) => boolean },
): Promise<void> {
  const browsable = securityHeaders(SECURITY_HEADER_OPTIONS);
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(options.isBrowsablePath(request.url) ? browsable : API_SECURITY_HEADERS);
    done();
  });
  // No origins configured: no CORS headers at all, browsers keep the same-origin policy.
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'Idempotency-Key',
        'X-Consistency-Token',
        'X-Correlation-Id',
      ],
      exposedHeaders: [
        'X-Consistency-Token',
        'X-Consistency',
        'ETag',
        'Retry-After',
        'Location',
        'X-Correlation-Id',
      ],
      maxAge: 600,
    });
  }
}
