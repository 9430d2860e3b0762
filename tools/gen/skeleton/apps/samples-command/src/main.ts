import { samplesContext } from '@cqrs/samples-domain';
import { runCommandService } from '@cqrs/command-service';
import { loadConfig } from './config/samples-command.config';

/** Composition root: the samples descriptor served by the generic command service. */
void runCommandService(samplesContext, () => loadConfig(process.env));
