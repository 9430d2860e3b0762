import type { z } from 'zod';

/**
 * Every secret the repository ships (compose fallbacks, .env.example, `pnpm stack`) starts with
 * this prefix, so a deployment that forgot to set one is recognisable by value, not by luck.
 */
export const DEVELOPMENT_SECRET_PREFIX = 'dev-only-';

/** The shortest shared secret a production service accepts (it also derives HMAC keys). */
export const PRODUCTION_SECRET_MIN_LENGTH = 32;

export interface ProductionSecretRules {
  /** Plain secrets, by variable name, with their production minimum length. */
  secrets?: Record<string, number>;
  /** Connection URLs whose password must not be a development one. */
  urls?: string[];
}

/**
 * A schema refinement that makes a service refuse to start under `NODE_ENV=production` with a
 * development secret or one shorter than its minimum. Every issue names the variable to set, and
 * never echoes the value. Outside production nothing is checked: the development stack runs on
 * the published `dev-only-*` values on purpose.
 */
export function refuseDevelopmentSecrets(rules: ProductionSecretRules) {
  return (config: { NODE_ENV: string }, ctx: z.RefinementCtx): void => {
    if (config.NODE_ENV !== 'production') return;
    const values = config as unknown as Record<string, unknown>;
    for (const [name, min] of Object.entries(rules.secrets ?? {})) {
      const value = values[name];
      if (typeof value !== 'string') continue;
      if (isDevelopmentSecret(value))
        ctx.addIssue({ code: 'custom', path: [name], message: developmentValue(name) });
      else if (Buffer.byteLength(value, 'utf8') < min)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `at least ${min} bytes with NODE_ENV=production`,
        });
    }
    for (const name of rules.urls ?? []) {
      const value = values[name];
      if (typeof value === 'string' && isDevelopmentSecret(urlPassword(value)))
        ctx.addIssue({ code: 'custom', path: [name], message: developmentValue(name, 'password') });
    }
  };
}

export const isDevelopmentSecret = (value: string): boolean =>
  value.toLowerCase().startsWith(DEVELOPMENT_SECRET_PREFIX);

function developmentValue(name: string, part = 'value'): string {
  return `${name} has a development ${part} (${DEVELOPMENT_SECRET_PREFIX}*), refused with NODE_ENV=production; set a real secret`;
}

function urlPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
