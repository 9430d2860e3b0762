import 'reflect-metadata';
import { createLogger, createPool } from '@cqrs/platform';
import { rebuildProjection } from '@cqrs/projections';
import { loadConfig } from '../config/accounts-projector.config';
import {
  createKafka,
  decodeAccountEvent,
  migrate,
  projectionOf,
  projectorLog,
} from '../wiring/projector.wiring';

/**
 * node dist/cli/rebuild.cli.js: rebuilds the read model from the beginning of the topic into a
 * fresh schema and swaps it in atomically, while the service keeps answering queries. Same
 * environment as the service. Prints progress; exits 0 when the new read model is live.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'accounts-projector-rebuild', level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 4 }, logger);
  try {
    await migrate(pool, config);
    const report = await rebuildProjection({
      kafka: createKafka('accounts-projector-rebuild', config),
      pool,
      topic: config.ACCOUNTS_EVENTS_TOPIC,
      groupId: config.KAFKA_GROUP_ID,
      liveSchema: config.READ_MODEL_SCHEMA,
      projection: projectionOf(config),
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
