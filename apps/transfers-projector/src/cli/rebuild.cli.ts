import { rebuildProjectionJob, runJob } from '@cqrs/projector-service';
import { transfersProjectorService } from '../transfers-projector.service';
import { loadConfig } from '../config/transfers-projector.config';

/**
 * node dist/cli/rebuild.cli.js [--projection <name>] [--keep-old]: rebuilds one projection's
 * read model into a fresh schema and swaps it in, while the service keeps answering. Same
 * environment as the service; exits 0 when the new read model is live.
 */
runJob('rebuild', () =>
  rebuildProjectionJob(transfersProjectorService, loadConfig(process.env), process.argv),
);
