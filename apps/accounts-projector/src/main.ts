import { runProjectorService } from '@cqrs/projector-service';
import { accountsProjectorService } from './accounts-projector.service';
import { loadConfig } from './config/accounts-projector.config';

/** Composition root: the accounts read side, by ROLE (projector | query | all). */
void runProjectorService(accountsProjectorService, () => loadConfig(process.env));
