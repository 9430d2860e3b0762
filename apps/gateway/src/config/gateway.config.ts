import { z } from 'zod';
import type { AnyContext } from '@cqrs/context';
import {
  envBoolean,
  envNonNegativeInt,
  envPositiveInt,
  httpServiceEnv,
  parseConfig,
  PRODUCTION_SECRET_MIN_LENGTH,
  refuseDevelopmentSecrets,
} from '@cqrs/platform';
import { registeredContexts } from '../contexts';
import { upstreamSlots, type UpstreamSlot } from '../contexts/context-upstreams';
import { ASYMMETRIC_ALGORITHMS, checkJwtSettings, HS_ALGORITHMS } from './jwt-settings';
import { envTrustProxy } from './trust-proxy';

/** A comma-separated list of base URLs (`http://<context>-command:3001`); a bare host:port gets http://. */
const envUpstreams = z
  .string()
  .min(1, 'a comma-separated list of base URLs')
  .transform((raw, ctx) => {
    const urls: string[] = [];
    for (const part of raw.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      try {
        const url = new URL(/^https?:\/\//.test(part) ? part : `http://${part}`);
        urls.push(url.origin);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a URL` });
      }
    }
    if (urls.length === 0) ctx.addIssue({ code: 'custom', message: 'at least one base URL' });
    return [...new Set(urls)];
  });

/**
 * Every setting of the gateway, named as its environment variable; parsed once at boot. The
 * upstream lists are per registered context (configSchema adds them).
 */
const settings = z.object({
  ...httpServiceEnv(8080),
  /** Shared with the internal services: proves a call (and its X-Actor-Id) comes from here. */
  INTERNAL_TOKEN: z.string().min(16, 'at least 16 characters (shared with the services)'),
  COMMAND_TIMEOUT_MS: envPositiveInt(5_000),
  QUERY_TIMEOUT_MS: envPositiveInt(10_000),
  /**
   * A query carrying `Prefer: wait=<s>` (RFC 7240) may be held that long by its service on
   * purpose; its budget is QUERY_TIMEOUT_MS plus the wait, the wait counted up to this. 0: a
   * Prefer never lengthens the budget.
   */
  QUERY_PREFER_WAIT_MAX_MS: envNonNegativeInt(10_000),
  /** The projector's read-your-writes bound (its CONSISTENCY_WAIT_MS); queries must outlast it. */
  CONSISTENCY_WAIT_MS: envPositiveInt(5_000),
  HEALTH_CHECK_INTERVAL_MS: envPositiveInt(2_000),
  /** An ejected instance is probed this often, so a restarted one is back within it. */
  HEALTH_CHECK_EJECTED_INTERVAL_MS: envPositiveInt(250),
  HEALTH_CHECK_TIMEOUT_MS: envPositiveInt(1_000),
  /** Keep-alive connections per upstream instance. */
  UPSTREAM_CONNECTIONS: envPositiveInt(64),
  AUTH_JWT_ALG: z.enum([...HS_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS]).default('HS256'),
  /** HMAC secret; its minimum length follows the algorithm (jwt-settings.ts). */
  AUTH_JWT_SECRET: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_JWKS_ALLOW_INSECURE_HTTP: envBoolean(false),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_CLOCK_TOLERANCE_S: envNonNegativeInt(5),
  /** Whole request (headers and body) must arrive within this; bounds slow senders. */
  HTTP_REQUEST_TIMEOUT_MS: envPositiveInt(10_000),
  /** A socket idle this long is closed; must outlast the longest upstream wait. */
  HTTP_CONNECTION_TIMEOUT_MS: envPositiveInt(30_000),
  /** Idle keep-alive sockets close after this (above a typical load balancer's 60 s). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: envPositiveInt(72_000),
  /** Distinct addresses / subjects each rate limiter tracks; the least recent is dropped. */
  RATE_LIMIT_MAX_KEYS: envPositiveInt(100_000),
  /**
   * Requests per minute and per subject / per client address; 0 disables the limit. The
   * production defaults (100/s each) stop one client from taking the capacity of all; the
   * development stack (`pnpm stack`, compose) sets 0 so that local load tests are not throttled.
   */
  RATE_LIMIT_PER_SUBJECT: envNonNegativeInt(6_000),
  RATE_LIMIT_PER_IP: envNonNegativeInt(6_000),
  /** Comma-separated allowed origins; empty (default) sends no CORS headers at all. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((raw) =>
      raw
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  /** Behind a load balancer: a hop count or the proxies' addresses (trust-proxy.ts). */
  TRUST_PROXY: envTrustProxy,
});

/** The longest a request may legitimately wait for its upstream's answer. */
export const longestUpstreamWaitMs = (config: {
  COMMAND_TIMEOUT_MS: number;
  QUERY_TIMEOUT_MS: number;
  QUERY_PREFER_WAIT_MAX_MS: number;
}): number =>
  Math.max(config.COMMAND_TIMEOUT_MS, config.QUERY_TIMEOUT_MS + config.QUERY_PREFER_WAIT_MAX_MS);

/** An upstream group and the base URLs its variable listed. */
export interface UpstreamSetting extends UpstreamSlot {
  readonly urls: readonly string[];
}

/**
 * The settings plus one `<CONTEXT>_COMMAND_UPSTREAMS` and `<CONTEXT>_QUERY_UPSTREAMS` per
 * context, all checked in one pass so a refusal names every wrong variable at once. The
 * contexts travel in the parsed config: whoever builds the app serves exactly these.
 */
function configSchema(contexts: readonly AnyContext[]) {
  const slots = upstreamSlots(contexts);
  const perContext = Object.fromEntries(slots.map((slot) => [slot.env, envUpstreams]));
  // The variable names are data, so their type is the settings' own; the URLs are read back
  // by name in the transform below.
  return (settings.extend(perContext) as unknown as typeof settings)
    .superRefine(
      refuseDevelopmentSecrets({
        secrets: {
          INTERNAL_TOKEN: PRODUCTION_SECRET_MIN_LENGTH,
          AUTH_JWT_SECRET: PRODUCTION_SECRET_MIN_LENGTH,
        },
      }),
    )
    .superRefine(checkJwtSettings)
    .superRefine((config, ctx) => {
      // A socket is idle while its request waits upstream; closing it first loses the answer.
      const longestWait = longestUpstreamWaitMs(config);
      if (config.HTTP_CONNECTION_TIMEOUT_MS <= longestWait)
        ctx.addIssue({
          code: 'custom',
          path: ['HTTP_CONNECTION_TIMEOUT_MS'],
          message: `must exceed COMMAND_TIMEOUT_MS and QUERY_TIMEOUT_MS + QUERY_PREFER_WAIT_MAX_MS (${longestWait})`,
        });
      // A read-your-writes query legitimately waits up to the projector's bound; cutting it off
      // first would turn every lagging read into a 503 instead of an answer marked stale.
      if (config.QUERY_TIMEOUT_MS <= config.CONSISTENCY_WAIT_MS + 500)
        ctx.addIssue({
          code: 'custom',
          path: ['QUERY_TIMEOUT_MS'],
          message: `must exceed CONSISTENCY_WAIT_MS (${config.CONSISTENCY_WAIT_MS}) by more than 500 ms`,
        });
    })
    .transform((config) => {
      const parsed = config as unknown as Readonly<Record<string, readonly string[]>>;
      const upstreams: UpstreamSetting[] = slots.map((slot) => ({
        ...slot,
        urls: parsed[slot.env] ?? [],
      }));
      return { ...config, contexts, upstreams };
    });
}

export type GatewayConfig = z.output<ReturnType<typeof configSchema>>;

/** Parses the environment for the given contexts (the registered ones unless a test names others). */
export const loadConfig = (
  env: NodeJS.ProcessEnv,
  contexts: readonly AnyContext[] = registeredContexts,
): GatewayConfig => parseConfig(configSchema(contexts), env);

export { isSymmetricAlg } from './jwt-settings';
