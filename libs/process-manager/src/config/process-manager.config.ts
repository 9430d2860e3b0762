import { envPositiveInt, parseConfig } from '@cqrs/platform';
import { z } from 'zod';
import type { BackoffPolicy } from '../driver/backoff';

/** The process manager's settings, parsed once at boot (parseProcessManagerConfig). */
export interface ProcessManagerConfig {
  /** Base URLs per command target (from `<TARGET>_COMMAND_URL`, comma-separated instances). */
  baseUrls: Record<string, string[]>;
  /** Sent as x-system-token: the credential command services accept for internal commands. */
  systemToken: string;
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  batchSize: number;
  stepsPerClaim: number;
  pollIntervalMs: number;
  stuckAfterMs: number;
}

/** `ledger` -> `LEDGER_COMMAND_URL`: one variable per target a definition names. */
export const targetUrlVariable = (target: string): string =>
  `${target.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_COMMAND_URL`;

/** The zod schema of the variables, keyed by variable name so every message names one. */
export function processManagerEnv(targets: readonly string[]) {
  const urls = Object.fromEntries(
    targets.map((t) => [
      targetUrlVariable(t),
      // One URL (a Service that balances), or the instances' URLs separated by commas.
      z
        .string()
        .transform((value) => value.split(',').map((url) => url.trim()))
        .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)),
    ]),
  );
  return z
    .object({
      ...urls,
      SYSTEM_TOKEN: z.string().min(16, 'at least 16 characters (shared with the command services)'),
      PROCESS_REQUEST_TIMEOUT_MS: envPositiveInt(5_000),
      PROCESS_BACKOFF_BASE_MS: envPositiveInt(200),
      PROCESS_BACKOFF_MAX_MS: envPositiveInt(60_000),
      PROCESS_BATCH_SIZE: envPositiveInt(16),
      PROCESS_STEPS_PER_CLAIM: envPositiveInt(8),
      PROCESS_POLL_INTERVAL_MS: envPositiveInt(500),
      /** Longer than any healthy process takes; well under the command services' idempotency TTL. */
      PROCESS_STUCK_AFTER_MS: envPositiveInt(5 * 60_000),
    })
    .refine((env) => env.PROCESS_BACKOFF_MAX_MS >= env.PROCESS_BACKOFF_BASE_MS, {
      path: ['PROCESS_BACKOFF_MAX_MS'],
      message: 'must be at least PROCESS_BACKOFF_BASE_MS',
    });
}

/** Parses the environment for a process manager whose definitions name `targets`. */
export function parseProcessManagerConfig(
  targets: readonly string[],
  env: NodeJS.ProcessEnv,
): ProcessManagerConfig {
  const parsed = parseConfig(processManagerEnv(targets), env);
  const values = parsed as Record<string, unknown>;
  return {
    baseUrls: Object.fromEntries(targets.map((t) => [t, values[targetUrlVariable(t)] as string[]])),
    systemToken: parsed.SYSTEM_TOKEN,
    requestTimeoutMs: parsed.PROCESS_REQUEST_TIMEOUT_MS,
    backoff: { baseMs: parsed.PROCESS_BACKOFF_BASE_MS, maxMs: parsed.PROCESS_BACKOFF_MAX_MS },
    batchSize: parsed.PROCESS_BATCH_SIZE,
    stepsPerClaim: parsed.PROCESS_STEPS_PER_CLAIM,
    pollIntervalMs: parsed.PROCESS_POLL_INTERVAL_MS,
    stuckAfterMs: parsed.PROCESS_STUCK_AFTER_MS,
  };
}
