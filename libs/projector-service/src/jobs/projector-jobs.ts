import type { EventEnvelope } from '@cqrs/events';
import { createLogger, createPool } from '@cqrs/platform';
import { rebuildProjection, replayDeadLetters } from '@cqrs/projections';
import type { ProjectorServiceConfig } from '../config/projector-service.config';
import { createProjectorKafka, projectorLog } from '../service/projector-kafka';
import type { ProjectorServiceDefinition } from '../service/projector-service.definition';
import { projectionArg, projectionSpecs, selectProjection } from '../service/projection-specs';
import { migrateProjections } from '../service/read-model';

type JobDefinition<E extends EventEnvelope> = Pick<
  ProjectorServiceDefinition<E>,
  'projections' | 'decode'
>;

const print = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * The deployment job (dist/migrate.js): applies every pending migration of the service's
 * schemas (per projection: the runtime's tables, then the read model) and prints what it
 * applied. The service runs the same migrations on boot; both are serialised per schema.
 */
export async function migrateProjectorService<E extends EventEnvelope>(
  definition: Pick<JobDefinition<E>, 'projections'>,
  config: ProjectorServiceConfig,
): Promise<Record<string, string[]>> {
  const logger = createLogger({ service: `${config.service}-migrate`, level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 2 }, logger);
  try {
    const applied = await migrateProjections(pool, definition.projections, config);
    print(JSON.stringify({ applied }));
    return applied;
  } finally {
    await pool.end();
  }
}

/**
 * `[--projection <name>] [--keep-old]`: rebuilds one projection's read model from the start of
 * its topic into a fresh schema and swaps it in atomically, while the service keeps answering
 * and the other projections keep running. Prints progress, then the report.
 */
export async function rebuildProjectionJob<E extends EventEnvelope>(
  definition: JobDefinition<E>,
  config: ProjectorServiceConfig,
  argv: readonly string[],
): Promise<void> {
  const specs = projectionSpecs(definition.projections, config);
  const spec = selectProjection(specs, projectionArg(argv));
  const service = `${config.service}-rebuild`;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 4 }, logger);
  try {
    await migrateProjections(pool, definition.projections, config);
    const report = await rebuildProjection({
      kafka: createProjectorKafka(service, config, logger),
      pool,
      topic: spec.topic,
      groupId: spec.groupId,
      liveSchema: spec.schema,
      projection: spec.projection,
      decode: definition.decode,
      log: projectorLog(logger),
      keepOld: argv.includes('--keep-old'),
      progress: print,
    });
    print(JSON.stringify(report));
  } finally {
    await pool.end();
  }
}

/**
 * `[--projection <name>]`: after a fix is deployed (an upcaster, a schema, a handler),
 * re-applies the recorded dead letters with this build's decoder and projection, then the
 * parked events behind them, and unparks their streams. Safe next to a running projector.
 * Resolves with the exit code: 2 when some dead letters still fail.
 */
export async function replayDeadLettersJob<E extends EventEnvelope>(
  definition: JobDefinition<E>,
  config: ProjectorServiceConfig,
  argv: readonly string[],
): Promise<number> {
  const spec = selectProjection(
    projectionSpecs(definition.projections, config),
    projectionArg(argv),
  );
  const logger = createLogger({ service: `${config.service}-replay`, level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 2 }, logger);
  try {
    const report = await replayDeadLetters({
      pool,
      schema: spec.schema,
      projection: spec.projection,
      decode: definition.decode,
      progress: print,
    });
    print(JSON.stringify(report));
    return report.stillFailing > 0 ? 2 : 0;
  } finally {
    await pool.end();
  }
}

/**
 * A job as a process: exit with the code it resolves with (0 when not a number), or print why it failed
 * and exit 1. `what` starts the failure line: `rebuild failed: ...`.
 */
export function runJob(what: string, job: () => Promise<unknown>): void {
  job().then(
    (code) => process.exit(typeof code === 'number' ? code : 0),
    (error: unknown) => {
      process.stderr.write(
        `${what} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
