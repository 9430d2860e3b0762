import type { EventEnvelope } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import type { PoolClient } from 'pg';
import type { ProcessDefinition } from '../definition/process-definition';
import { progressOf } from '../definition/process-progress';
import { migrateProcessTable } from '../schema/process-migrations';
import { processTable } from '../schema/process-table.sql';
import { foldProcessEvents, type LoadedProcess } from './process-fold';

/**
 * The process table as a read model of the event log: starting a process is a projection, run
 * by the ordinary ProjectorRuntime. The row is written in the runtime's transaction, with the
 * consumer checkpoint, so a start event is never lost (crash before commit: redelivered) and
 * never starts two processes (redelivered after commit: the runtime's stream versions skip it,
 * and `ON CONFLICT DO NOTHING` keeps the first row even if another stream starts the same id).
 * The runtime notifies `projection_<name>` on commit, which is what wakes the step drivers.
 */
export function processProjection<S, E extends EventEnvelope>(
  definition: ProcessDefinition<S, E>,
  observer?: StartObserver,
): Projection<E> {
  return {
    name: definition.name,
    rebuildRefusal:
      'its rows drive commands: rebuilt from the log, every finished process would start ' +
      'again and re-send its steps (their idempotency keys may have expired)',
    migrate: async (pool, schema) =>
      void (await migrateProcessTable(pool, schema, definition.name)),
    applyBatch: async (tx, events, { schema }) => {
      const started = await applyProcessEvents(
        tx,
        processTable(schema, definition.name),
        definition,
        events,
      );
      if (started > 0) observer?.recordStarted(definition.name, started);
    },
  };
}

/**
 * Told how many processes a chunk inserted. It is called before the runtime commits: a chunk
 * rolled back and applied again counts twice (rare; the active gauges come from the table).
 */
export interface StartObserver {
  recordStarted(process: string, count: number): void;
}

async function applyProcessEvents<S, E extends EventEnvelope>(
  tx: PoolClient,
  table: string,
  definition: ProcessDefinition<S, E>,
  events: readonly E[],
): Promise<number> {
  let inserted = 0;
  const observed = new Set<string>();
  for (const event of events) {
    const id = definition.observe?.processIdOf(event);
    if (id !== undefined) observed.add(id);
  }
  // Observed processes are locked: a driver sending one of their steps finishes first, so the
  // event is applied to the state that send left behind (no lost update either way).
  const loaded =
    observed.size === 0
      ? []
      : (
          await tx.query<{ process_id: string; state: S }>(
            `SELECT process_id, state FROM ${table} WHERE process_id = ANY($1::text[]) FOR UPDATE`,
            [[...observed]],
          )
        ).rows.map((r): LoadedProcess<S> => ({ processId: r.process_id, state: r.state }));
  const { started, changed } = foldProcessEvents(definition, events, loaded);

  if (started.length > 0) {
    const rows = started.map((p) => ({ ...p, ...progressOf(definition, p.state) }));
    const result = await tx.query(
      `INSERT INTO ${table} (process_id, state, status, step)
       SELECT u.id, u.state::jsonb, u.status, u.step
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, state, status, step)
       ON CONFLICT (process_id) DO NOTHING
       RETURNING 1`,
      [
        rows.map((r) => r.processId),
        rows.map((r) => JSON.stringify(r.state)),
        rows.map((r) => r.status),
        rows.map((r) => r.step),
      ],
    );
    inserted = result.rowCount ?? 0;
  }
  if (changed.length > 0) {
    const rows = changed.map((p) => ({ ...p, ...progressOf(definition, p.state) }));
    // A changed step starts afresh (attempts 0, due now); the same step keeps its backoff.
    await tx.query(
      `UPDATE ${table} AS t
          SET state = u.state::jsonb, status = u.status, step = u.step,
              attempts = CASE WHEN t.step IS DISTINCT FROM u.step THEN 0 ELSE t.attempts END,
              next_attempt_at = CASE WHEN t.step IS DISTINCT FROM u.step THEN now()
                                     ELSE t.next_attempt_at END,
              updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, state, status, step)
        WHERE t.process_id = u.id`,
      [
        rows.map((r) => r.processId),
        rows.map((r) => JSON.stringify(r.state)),
        rows.map((r) => r.status),
        rows.map((r) => r.step),
      ],
    );
  }
  return inserted;
}
