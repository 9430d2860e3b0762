import type { EventEnvelope, EventParseResult } from '@cqrs/events';
import type { Pool, PoolClient } from 'pg';

/**
 * A read model, as the projector runtime sees it. The runtime owns ordering, dedupe, the
 * checkpoint, dead letters and parking; a projection only turns an ordered list of new events
 * into a few bulk statements. `applyBatch` runs inside the runtime's transaction, so it must
 * neither commit nor catch database errors (a failed statement aborts the whole batch).
 */
export interface Projection<E extends EventEnvelope = EventEnvelope> {
  /**
   * Stable, [a-z0-9_] only: keys the runtime's rows (checkpoints, stream versions, dead letters,
   * parked events), names the notification channel and the metric label. Unique per database.
   */
  readonly name: string;
  /**
   * Creates or upgrades the read-model tables inside `schema` (idempotent): frozen SQL
   * migrations through `runMigrations(pool, migrations, { schema })` of `@cqrs/platform`.
   */
  migrate(pool: Pool, schema: string): Promise<void>;
  /**
   * Applies events already filtered by the runtime: per stream, versions are contiguous and
   * each follows the stored one, in stream order. Fold in memory, then write in bulk.
   */
  applyBatch(tx: PoolClient, events: readonly E[], context: ProjectionContext): Promise<void>;
  /**
   * Why this projection must never be rebuilt from the log, when it must not: its rows are not
   * only a view (a process projection's rows drive commands, and rebuilt ones would start
   * finished processes again). rebuildProjection refuses it before touching anything.
   */
  readonly rebuildRefusal?: string;
}

export interface ProjectionContext {
  /** The schema the read model lives in (the live one, or a fresh one during a rebuild). */
  readonly schema: string;
}

/** Decodes and upcasts one Kafka message value, e.g. a context's `registry.parseEventJson`. */
export type DecodeEvent<E extends EventEnvelope> = (raw: Buffer) => EventParseResult<E>;

/** Where a message came from; dead letters and parked events keep it for replay and tooling. */
export interface MessagePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}
