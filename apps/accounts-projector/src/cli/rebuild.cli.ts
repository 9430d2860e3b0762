import { createLogger, createPool } from '@cqrs/platform';
import { rebuildProjection } from '@cqrs/projections';
import { loadConfig } from '../config/accounts-projector.config';
import { projectionArg, selectProjection } from './projection-arg';
import {
  createKafka,
  decodeAccountEvent,
  migrate,
  projectionsOf,
  projectorLog,
} from '../wiring/projector.wiring';

/**
 * node dist/cli/rebuild.cli.js [--projection <name>] [--keep-old]: rebuilds one projection's
 * read model from the beginning of its topic into a fresh schema and swaps it in atomically,
 * while the service keeps answering queries and the other projections keep running. Without
 * --projection, the service's only projection. Same environment as the service. Prints
 * progress; exits 0 when the new read model is live.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const spec = selectProjection(projectionsOf(config), projectionArg(process.argv));
  const logger = createLogger({ service: 'accounts-projector-rebuild', level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 4 }, logger);
  try {
    await migrate(pool, config);
    const report = await rebuildProjection({
      kafka: createKafka('accounts-projector-rebuild', config),
      pool,
      topic: spec.topic,
      groupId: spec.groupId,
      liveSchema: spec.schema,
      projection: spec.projection,
      decode: decodeAccountEvent,
      log: projectorLog(logger),
      keepOld: process.argv.includes('--keep-old'),
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
