import { transfersContext } from '@cqrs/transfers-domain';
import { runCommandService } from '@cqrs/command-service';
import { loadConfig } from './config/transfers-command.config';
import { AccountOwnerClient } from './source-account/account-owner.client';
import { sourceAccountPreparer } from './source-account/source-account.preparer';

/**
 * Composition root: the transfers descriptor served by the generic command service, with the
 * source account of each request looked up on the accounts side before the decider runs.
 */
void runCommandService(
  transfersContext,
  () => loadConfig(process.env),
  (config) =>
    sourceAccountPreparer(
      new AccountOwnerClient({
        baseUrls: config.ACCOUNTS_COMMAND_URL,
        systemToken: config.SYSTEM_TOKEN,
        timeoutMs: config.ACCOUNT_LOOKUP_TIMEOUT_MS,
        cacheSize: config.ACCOUNT_LOOKUP_CACHE_SIZE,
      }),
    ),
);
