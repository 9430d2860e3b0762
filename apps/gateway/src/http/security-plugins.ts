import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every answer, with a CSP strict enough for an API and just open enough
 * for Swagger UI at /docs (its scripts and styles are served from here; it sets inline styles
 * and data: images). No upgrade-insecure-requests: TLS ends in front of the gateway, and the
 * directive would break the docs on plain-HTTP development setups.
 */
export async function registerSecurityPlugins(
  app: FastifyInstance,
  options: { corsOrigins: readonly string[] },
): Promise<void> {
  await app.register(helmet, {
    global: true,
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
