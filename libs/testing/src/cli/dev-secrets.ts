/** Shared by the gateway and the internal services; development only (see .env.example). */
export const DEV_INTERNAL_TOKEN =
  process.env['INTERNAL_TOKEN'] ?? 'dev-only-internal-token-change-me';

/** Held by the services that act as the system (never the gateway); development only. */
export const DEV_SYSTEM_TOKEN = process.env['SYSTEM_TOKEN'] ?? 'dev-only-system-token-change-me';

/** Development JWT secret of the local stack (HS256); `pnpm token` signs with the same. */
export const DEV_JWT_SECRET =
  process.env['AUTH_JWT_SECRET'] ?? 'dev-only-jwt-secret-change-me-0123456789';
