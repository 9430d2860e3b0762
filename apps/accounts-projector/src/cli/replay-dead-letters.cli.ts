import { createLogger, createPool } from '@cqrs/platform';
import { replayDeadLetters } from '@cqrs/projections';
import { loadConfig } from '../config/accounts-projector.config';
import { projectionArg, selectProjection } from './projection-arg';
import { decodeAccountEvent, projectionsOf } from '../wiring/projector.wiring';

/**
 * node dist/cli/replay-dead-letters.cli.js [--projection <name>] (default: the service's only
 * projection): after a fix is deployed (an upcaster, a schema, a
 * handler), re-applies the recorded dead letters with this build's decoder and projection, then
 * the parked events behind them, and unparks their streams. Safe next to a running projector.
 * Exits 2 when some dead letters still fail.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const spec = selectProjection(projectionsOf(config), projectionArg(process.argv));
  const logger = createLogger({ service: 'accounts-projector-replay', level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 2 }, logger);
  try {
    const report = await replayDeadLetters({
      pool,
      schema: spec.schema,
      projection: spec.projection,
      decode: decodeAccountEvent,
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.stillFailing > 0 ? 2 : 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `replay failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
