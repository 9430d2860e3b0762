import { fastifyTrustProxy } from '../config/trust-proxy';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { OpenAPIV3_1 } from 'openapi-types';
import {
  createMetricsRegistry,
  ProblemExceptionFilter,
  problem,
  registerAccessLog,
  registerCorrelation,
  registerJsonOnly,
  sendProblem,
  type Logger,
} from '@cqrs/platform';
import { AppModule } from '../app.module';
import { registerAuthentication } from '../auth/authentication.hook';
import { createJwtVerifier, keyFromConfig, type JwtVerifier } from '../auth/jwt-verifier';
import { cachedVerifier } from '../auth/verification-cache';
import type { GatewayConfig } from '../config/gateway.config';
import { registerDocsRoutes } from '../openapi/docs.routes';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import type { RegisteredRoute } from '../openapi/route-drift';
import { createGatewayMetrics } from '../ops/gateway-metrics';
import { registerGatewayOpsRoutes } from '../ops/gateway-ops.routes';
import { FixedWindowLimiter } from '../rate-limit/fixed-window-limiter';
import { ProxyEndpoint } from '../routes/proxy-endpoint';
import { registerProxyRoutes } from '../routes/proxy-routes';
import { buildRouteTable } from '../routes/route-table';
import { HealthProber, httpReadyProbe } from '../upstream/health-prober';
import { UpstreamClient } from '../upstream/upstream-client';
import { UpstreamGroup } from '../upstream/upstream-group';
import { isOpenPath } from '../auth/authentication.hook';
import { registerSecurityPlugins } from './security-plugins';

export const BODY_LIMIT = 16 * 1024;
export const API_VERSION = '1.0.0';

export interface GatewayApp {
  app: NestFastifyApplication;
  document: OpenAPIV3_1.Document;
  /** Every route the server registered (what the OpenAPI drift check compares). */
  routes: RegisteredRoute[];
  prober: HealthProber;
  /** Closes the upstream connection pools (after the server drained). */
  closeUpstreams: () => Promise<void>;
  /** From now on every answer says `Connection: close`, so kept-alive clients let go. */
  startDraining: () => void;
}

/** The HTTP server's own bounds (fastify's defaults leave request and connection unbounded). */
export const serverTimeouts = (config: GatewayConfig) => ({
  requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
  connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_MS,
  keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
});

/**
 * Builds the whole gateway without listening, so main.ts, the OpenAPI check and tests share one
 * wiring. Hook order matters and is the order below: security headers, correlation id, per-IP
 * limit, authentication (+ per-subject limit) — all before a body is read.
 */
export async function createGatewayApp(
  config: GatewayConfig,
  log: Logger,
  overrides: { verifier?: JwtVerifier } = {},
): Promise<GatewayApp> {
  const registry = createMetricsRegistry('gateway');
  const onChange = (
    group: UpstreamGroup,
    instance: { url: string; healthy: boolean; lastError?: string },
  ) =>
    log.warn(
      {
        upstream: group.name,
        instance: instance.url,
        healthy: instance.healthy,
        reason: instance.lastError,
      },
      instance.healthy ? 'upstream instance back in rotation' : 'upstream instance ejected',
    );
  const groups = new Map(
    config.upstreams.map(({ group, urls }) => [group, new UpstreamGroup(group, urls, onChange)]),
  );
  const gatewayRoutes = buildRouteTable(config.contexts);
  // Groups and routes come from the same contexts; a route without its group is a wiring bug,
  // stopped here at boot rather than answered as a 500 per request.
  for (const route of gatewayRoutes)
    if (!groups.has(route.upstream)) throw new Error(`${route.operationId}: no ${route.upstream}`);
  const prober = new HealthProber(
    [...groups.values()],
    httpReadyProbe(config.HEALTH_CHECK_TIMEOUT_MS),
    {
      healthyMs: config.HEALTH_CHECK_INTERVAL_MS,
      ejectedMs: config.HEALTH_CHECK_EJECTED_INTERVAL_MS,
    },
  );
  const metrics = createGatewayMetrics(registry, [...groups.values()]);
  const client = new UpstreamClient({
    connections: config.UPSTREAM_CONNECTIONS,
    observer: metrics.upstream,
    // A timed-out request does not eject by itself: the instance's own readiness decides.
    probe: (group, instance) => void prober.probeNow(group, instance),
  });
  // With no instance in rotation every ejected one is probed at the ejected interval, so that is
  // when a retry can first succeed (rounded up to Retry-After's whole seconds).
  const retryAfterSeconds = Math.max(1, Math.ceil(config.HEALTH_CHECK_EJECTED_INTERVAL_MS / 1000));
  const proxy = new ProxyEndpoint({
    groups,
    client,
    internalToken: config.INTERNAL_TOKEN,
    timeoutMs: { command: config.COMMAND_TIMEOUT_MS, query: config.QUERY_TIMEOUT_MS },
    preferWaitMaxMs: config.QUERY_PREFER_WAIT_MAX_MS,
    retryAfterSeconds,
    log,
  });
  const verifier =
    overrides.verifier ??
    cachedVerifier(
      createJwtVerifier({
        algorithm: config.AUTH_JWT_ALG,
        key: keyFromConfig({ secret: config.AUTH_JWT_SECRET, jwksUrl: config.AUTH_JWKS_URL }),
        issuer: config.AUTH_JWT_ISSUER,
        audience: config.AUTH_JWT_AUDIENCE,
        clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_S,
      }),
    );

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    // skipMiddie: no Express-style Nest middleware here, so no middie hook on every request.
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT,
      trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
      skipMiddie: true,
      // The published edge: a client that sends slowly, idles or hoards sockets is cut off.
      ...serverTimeouts(config),
      // A path fastify cannot decode ('/%') or a bad Content-Type is the client's error, and
      // answered in the contract's problem+json like any other 400.
      frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
        void sendProblem(reply, problem(400, 'VALIDATION_FAILED', error.message));
      },
    }),
    // Body parsing is ours (registerJsonOnly): JSON only, empty bodies allowed, 400 on bad JSON.
    { logger: false, bodyParser: false },
  );
  app.useGlobalFilters(new ProblemExceptionFilter(log));
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (route) => void routes.push({ method: route.method, url: route.url }));

  let draining = false;
  // Without this, a client's kept-alive socket outlives its last answer and holds the close
  // (fastify only closes connections that are idle when close() starts).
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  await registerSecurityPlugins(fastify, {
    corsOrigins: config.CORS_ORIGINS,
    // Docs, the OpenAPI document and the ops routes; everything else answers JSON to API clients.
    isBrowsablePath: isOpenPath,
  });
  registerCorrelation(fastify, { asyncContext: false });
  registerAccessLog(fastify, log, { enabled: config.ACCESS_LOG });
  const perIp = new FixedWindowLimiter(config.RATE_LIMIT_PER_IP, {
    maxKeys: config.RATE_LIMIT_MAX_KEYS,
  });
  // Every route, open ones and unknown paths included: any answer costs the gateway something.
  fastify.addHook('onRequest', async (request, reply) => {
    const limited = perIp.hit(request.ip);
    if (limited !== undefined) {
      return sendProblem(
        reply,
        problem(429, 'RATE_LIMITED', 'Too many requests from this address; slow down.'),
        { 'retry-after': String(limited.retryAfterSeconds) },
      );
    }
  });
  const perSubject = new FixedWindowLimiter(config.RATE_LIMIT_PER_SUBJECT, {
    maxKeys: config.RATE_LIMIT_MAX_KEYS,
  });
  registerAuthentication(fastify, verifier, (request) => perSubject.hit(request.actorId ?? ''));
  registerJsonOnly(fastify, BODY_LIMIT);
  registerGatewayOpsRoutes(fastify, {
    registry,
    groups: [...groups.values()],
    metrics,
    internalToken: config.INTERNAL_TOKEN,
  });
  await registerProxyRoutes(fastify, gatewayRoutes, proxy, log);
  const document = buildOpenApiDocument(gatewayRoutes, API_VERSION);
  await registerDocsRoutes(fastify, document);
  await app.init();

  return {
    app,
    document,
    routes,
    prober,
    closeUpstreams: () => client.close(),
    startDraining: () => void (draining = true),
  };
}
