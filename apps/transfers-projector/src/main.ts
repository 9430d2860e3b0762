import { runProjectorService } from '@cqrs/projector-service';
import { transfersProjectorService } from './transfers-projector.service';
import { loadConfig } from './config/transfers-projector.config';

/** Composition root: the transfers read side, by ROLE (projector | query | all). */
void runProjectorService(transfersProjectorService, () => loadConfig(process.env));
