import { transfersContext } from '@cqrs/transfers-domain';
import { runCommandService } from '@cqrs/command-service';
import { loadConfig } from './config/transfers-command.config';

/** Composition root: the transfers descriptor served by the generic command service. */
void runCommandService(transfersContext, () => loadConfig(process.env));
