import { runProjectorService } from '@cqrs/projector-service';
import { samplesProjectorService } from './samples-projector.service';
import { loadConfig } from './config/samples-projector.config';

/** Composition root: the samples read side, by ROLE (projector | query | all). */
void runProjectorService(samplesProjectorService, () => loadConfig(process.env));
