import 'reflect-metadata';
import { createLogger, createPool } from '@cqrs/platform';
import { replayDeadLetters } from '@cqrs/projections';
import { loadConfig } from '../config/accounts-projector.config';
import { decodeAccountEvent, projectionOf } from '../wiring/projector.wiring';

/**
 * node dist/cli/replay-dead-letters.cli.js: after a fix is deployed (an upcaster, a schema, a
 * handler), re-applies the recorded dead letters with this build's decoder and projection, then
 * the parked events behind them, and unparks their streams. Safe next to a running projector.
 * Exits 2 when some dead letters still fail.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'accounts-projector-replay', level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 2 }, logger);
  try {
    const report = await replayDeadLetters({
      pool,
      schema: config.READ_MODEL_SCHEMA,
      projection: projectionOf(config),
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
