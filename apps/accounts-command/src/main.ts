import { accountsContext } from '@cqrs/accounts-domain';
import { runCommandService } from '@cqrs/command-service';
import { loadConfig } from './config/accounts-command.config';

/** Composition root: the accounts descriptor served by the generic command service. */
void runCommandService(accountsContext, () => loadConfig(process.env));
