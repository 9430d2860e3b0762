import { migrateProjectorService, runJob } from '@cqrs/projector-service';
import { transfersProjectorService } from './transfers-projector.service';
import { loadConfig } from './config/transfers-projector.config';

/**
 * node dist/migrate.js: applies every pending migration of the service's schemas and exits, for
 * a deployment job that runs before the new version starts. Same environment as the service.
 */
runJob('migrate', () =>
  migrateProjectorService(transfersProjectorService, loadConfig(process.env)),
);
