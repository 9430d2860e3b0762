import { replayDeadLettersJob, runJob } from '@cqrs/projector-service';
import { transfersProjectorService } from '../transfers-projector.service';
import { loadConfig } from '../config/transfers-projector.config';

/**
 * node dist/cli/replay-dead-letters.cli.js [--projection <name>]: after a fix is deployed,
 * re-applies the recorded dead letters and the parked events behind them. Exits 2 when some
 * dead letters still fail.
 */
runJob('replay', () =>
  replayDeadLettersJob(transfersProjectorService, loadConfig(process.env), process.argv),
);
