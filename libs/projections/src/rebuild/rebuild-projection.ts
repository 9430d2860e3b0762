import type { EventEnvelope } from '@cqrs/events';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { DecodeEvent, Projection } from '../projection.types';
import type { ProjectorLogger } from '../runtime/projector-runtime';
import { assertEventsRetained } from '../runtime/retained-events';
import { migrateProjectorTables } from '../schema/projector-migrations';
import { checkedSchema } from '../schema/projector-tables.sql';
import { BulkLoader } from './bulk-loader';
import { dropSecondaryIndexes, restoreIndexes } from './deferred-indexes';
import { loadFromTopic } from './load-from-topic';

export interface RebuildOptions<E extends EventEnvelope> {
  kafka: Kafka;
  pool: Pool;
  topic: string;
  /** The live consumer group; the rebuild uses a throw-away group derived from it. */
  groupId: string;
  /** The schema queries read; it is replaced atomically at the end. */
  liveSchema: string;
  projection: Projection<E>;
  decode: DecodeEvent<E>;
  log: ProjectorLogger;
  progress?: (line: string) => void;
  /**
   * Events per write transaction while loading (default 20,000): large enough that the
   * per-statement cost vanishes, small enough that the last write after the load is short.
   */
  chunkSize?: number;
  /** Keep the replaced schema (renamed `<live>_old_<timestamp>`) instead of dropping it. */
  keepOld?: boolean;
  progressIntervalMs?: number;
}

export interface RebuildReport {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  swappedAt: string;
}

/**
 * Blue/green rebuild of one named projection, which owns its schema (RebuildSchemaSharedError
 * otherwise): project the whole topic from offset 0 into a fresh schema
 * (`<live>_next`, with its own checkpoints, stream versions and dead-letter records), then swap
 * it in by renaming schemas in one transaction. Queries keep reading the live schema all along
 * and see the new one from the next statement after the commit.
 *
 * Nothing reads the fresh schema before the swap, so it is bulk-loaded (BulkLoader): large
 * batches, bookkeeping written once at the end, secondary indexes built after the load and
 * statistics gathered before the swap.
 *
 * The swap first takes an ACCESS EXCLUSIVE lock on the live checkpoint table: every projector
 * transaction starts by locking its checkpoint row, so none is half-way through the old tables,
 * and those waiting re-resolve the name to the new schema once the lock is granted. They then
 * find a checkpoint other than the one they wrote, seek back to it and catch up from there;
 * stream-version dedupe makes the overlap harmless.
 */
export async function rebuildProjection<E extends EventEnvelope>(
  options: RebuildOptions<E>,
): Promise<RebuildReport> {
  if (options.projection.rebuildRefusal !== undefined)
    throw new RebuildRefusedError(options.projection.name, options.projection.rebuildRefusal);
  const { pool, topic, progress = () => undefined } = options;
  const live = checkedSchema(options.liveSchema);
  const next = checkedSchema(`${live}_next`);
  const started = Date.now();

  // The swap needs the live tables to lock (first deploy: none yet) and must not take another
  // projection's rows away with the schema.
  const name = options.projection.name;
  await migrateProjectorTables(pool, live, name);
  await assertSchemaNotShared(pool, live, name);

  const admin = options.kafka.admin();
  await admin.connect();
  try {
    // A rebuild needs every event from offset 0: refuse before touching anything when the log
    // lost its beginning (retention, deleted records), instead of reporting 100% of what is left.
    await assertEventsRetained(admin, topic, new Map());
  } catch (error) {
    await admin.disconnect();
    throw error;
  }

  await pool.query(`DROP SCHEMA IF EXISTS ${next} CASCADE`);
  await migrateProjectorTables(pool, next, name);
  await options.projection.migrate(pool, next);

  const rebuildGroup = `${options.groupId}.rebuild-${started.toString(36)}`;
  const loader = new BulkLoader<E>({
    pool,
    schema: next,
    topic,
    projection: options.projection,
    decode: options.decode,
    eventsPerWrite: options.chunkSize ?? 20_000,
  });
  let events = 0;
  try {
    // The target: everything on the topic when the rebuild started. Later events are picked
    // up by the live projector after the swap (it resumes from the rebuilt checkpoints).
    const targets = await admin.fetchTopicOffsets(topic);
    const total = targets.reduce((sum, t) => sum + Number(t.high) - Number(t.low), 0);
    progress(
      `rebuilding ${live} from ${topic}: ${total} events in ${targets.length} partitions into ${next}`,
    );
    const indexes = await dropSecondaryIndexes(pool, next);
    const report = (consumed: number): void => {
      const seconds = (Date.now() - started) / 1000;
      progress(
        `  ${consumed}/${total} events (${((100 * consumed) / Math.max(total, 1)).toFixed(1)}%), ${Math.round(consumed / Math.max(seconds, 0.001))} events/s`,
      );
    };
    events = await loadFromTopic({
      kafka: options.kafka,
      topic,
      groupId: rebuildGroup,
      targets,
      loader,
      intervalMs: options.progressIntervalMs ?? 1_000,
      progress: report,
    });
    await loader.finish();
    report(events);
    await restoreIndexes(pool, next, indexes);
  } finally {
    await admin.deleteGroups([rebuildGroup]).catch(() => undefined);
    await admin.disconnect();
  }

  const old = `${live}_old_${started.toString(36)}`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${live}.projector_checkpoints IN ACCESS EXCLUSIVE MODE`);
    await client.query(`ALTER SCHEMA ${live} RENAME TO ${old}`);
    await client.query(`ALTER SCHEMA ${next} RENAME TO ${live}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (options.keepOld !== true) await pool.query(`DROP SCHEMA ${old} CASCADE`);
  const seconds = (Date.now() - started) / 1000;
  const swappedAt = new Date().toISOString();
  progress(
    `swapped ${next} in as ${live} at ${swappedAt}${options.keepOld ? `; previous kept as ${old}` : ''}`,
  );
  return {
    events,
    seconds,
    eventsPerSecond: Math.round(events / Math.max(seconds, 0.001)),
    swappedAt,
  };
}

/** Refused: the rebuild swaps the whole schema, which holds other projections' rows too. */
/** The projection says it must not be rebuilt (Projection.rebuildRefusal). */
export class RebuildRefusedError extends Error {
  override readonly name = 'RebuildRefusedError';
  readonly code = 'REBUILD_REFUSED';

  constructor(
    readonly projection: string,
    readonly reason: string,
  ) {
    super(`projection ${projection} cannot be rebuilt: ${reason}`);
  }
}

export class RebuildSchemaSharedError extends Error {
  override readonly name = 'RebuildSchemaSharedError';
  readonly code = 'REBUILD_SCHEMA_SHARED';

  constructor(
    readonly schema: string,
    readonly others: readonly string[],
  ) {
    super(
      `schema ${schema} also holds the projection(s) ${others.join(', ')}: a rebuild swaps the ` +
        'whole schema, so a projection rebuilt on its own needs a schema of its own',
    );
  }
}

async function assertSchemaNotShared(
  pool: Pool,
  schema: string,
  projection: string,
): Promise<void> {
  const { rows } = await pool.query<{ projection: string }>(
    `SELECT projection FROM ${schema}.projector_checkpoints WHERE projection <> $1
      UNION SELECT projection FROM ${schema}.projector_streams WHERE projection <> $1`,
    [projection],
  );
  if (rows.length > 0)
    throw new RebuildSchemaSharedError(
      schema,
      rows.map((r) => r.projection),
    );
}
