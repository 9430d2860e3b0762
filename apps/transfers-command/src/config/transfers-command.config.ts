import { z } from 'zod';
import { transfersContext } from '@cqrs/transfers-domain';
import { commandServiceConfigSchema, type CommandServiceConfig } from '@cqrs/command-service';
import { envPositiveInt, parseConfig } from '@cqrs/platform';

/** What the transfers command service reads besides every command service's settings. */
const transfersCommandEnv = z.object({
  /**
   * The accounts command service, asked who owns a transfer's source account (exact): one URL
   * (a Service that balances) or its instances' URLs separated by commas.
   */
  ACCOUNTS_COMMAND_URL: z
    .string()
    .transform((value) => value.split(',').map((url) => url.trim()))
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)),
  /** Required here: the owner lookup and the process's verdicts are system calls. */
  SYSTEM_TOKEN: z.string().min(16),
  /** How long the owner lookup may take before the request answers 503. */
  ACCOUNT_LOOKUP_TIMEOUT_MS: envPositiveInt(2_000),
  /** Source accounts whose owner and currency are remembered (they never change). */
  ACCOUNT_LOOKUP_CACHE_SIZE: envPositiveInt(10_000),
});

export interface TransfersCommandConfig extends CommandServiceConfig {
  readonly ACCOUNTS_COMMAND_URL: readonly string[];
  readonly SYSTEM_TOKEN: string;
  readonly ACCOUNT_LOOKUP_TIMEOUT_MS: number;
  readonly ACCOUNT_LOOKUP_CACHE_SIZE: number;
}

/** The command service's settings for the transfers context, plus the owner lookup's. */
export const loadConfig = (env: NodeJS.ProcessEnv): TransfersCommandConfig =>
  parseConfig(
    commandServiceConfigSchema(transfersContext, { defaultPort: 3004 }).and(transfersCommandEnv),
    env,
  );
