/**
 * The services `pnpm stack` runs locally, in start order. Add a service here when its app lands
 * (and to docker-compose.yml). Ports are fixed so URLs stay the same between runs.
 */
export interface StackService {
  /** How the stack names it (its URL key and log prefix); defaults to `app`. */
  name?: string;
  app: string;
  port: number;
  /** Database and role owned by the service (created on the local Postgres if missing). */
  database?: string;
  /**
   * Instead of owning a database: a read-only role of its own on another service's database
   * (what its owner creates there, now and after a rebuild), as compose's READ_ONLY_ROLES.
   */
  readsDatabase?: { database: string; role: string };
  /** Extra environment, given the URLs of the services started before it. */
  env?: (urls: Record<string, string>) => Record<string, string>;
  /** Printed as the entry point of the stack. */
  entryPoint?: boolean;
}

/** Shared by the gateway and the internal services; development only (see .env.example). */
export const DEV_INTERNAL_TOKEN =
  process.env['INTERNAL_TOKEN'] ?? 'dev-only-internal-token-change-me';

/** Development JWT secret of the local stack (HS256); `pnpm token` signs with the same. */
export const DEV_JWT_SECRET =
  process.env['AUTH_JWT_SECRET'] ?? 'dev-only-jwt-secret-change-me-0123456789';

export const STACK_SERVICES: StackService[] = [
  {
    app: 'accounts-command',
    port: 3001,
    database: 'accounts_command',
    env: () => ({ INTERNAL_TOKEN: DEV_INTERNAL_TOKEN }),
  },
  // One app, two processes as in compose: the projector owns the read model, the query API
  // reads it under its own read-only role (least privilege).
  {
    app: 'accounts-projector',
    port: 3002,
    database: 'accounts_projector',
    env: () => ({ INTERNAL_TOKEN: DEV_INTERNAL_TOKEN, ROLE: 'projector' }),
  },
  {
    name: 'accounts-query',
    app: 'accounts-projector',
    port: 3003,
    readsDatabase: { database: 'accounts_projector', role: 'accounts_query' },
    env: () => ({ INTERNAL_TOKEN: DEV_INTERNAL_TOKEN, ROLE: 'query' }),
  },
  {
    app: 'gateway',
    port: Number(process.env['GATEWAY_PORT'] ?? 8080),
    entryPoint: true,
    env: (urls) => ({
      INTERNAL_TOKEN: DEV_INTERNAL_TOKEN,
      AUTH_JWT_SECRET: DEV_JWT_SECRET,
      // A developer's own load test must not be throttled (the production defaults would at
      // 100 requests/s); RATE_LIMIT_* in the environment still wins.
      RATE_LIMIT_PER_IP: process.env['RATE_LIMIT_PER_IP'] ?? '0',
      RATE_LIMIT_PER_SUBJECT: process.env['RATE_LIMIT_PER_SUBJECT'] ?? '0',
      COMMAND_UPSTREAMS: urls['accounts-command'] ?? '',
      QUERY_UPSTREAMS: urls['accounts-query'] ?? '',
    }),
  },
];
