import type { Pool } from 'pg';
import type { EventEnvelope } from '@cqrs/events';
import type { Logger } from '@cqrs/platform';
import { checkedSchema, migrateProjectorTables, type Projection } from '@cqrs/projections';
import { projectionSpecs, type ProjectionsConfig } from './projection-specs';

/**
 * Every schema's migrations, on boot and as the deployment job: per projection, the runtime's
 * tables, then its read model's. Returns the runtime tables' ids applied per schema (the read
 * model's go to the same history table). The first projection names the runtime rows written
 * before projections had names.
 */
export async function migrateProjections<E extends EventEnvelope>(
  pool: Pool,
  projections: readonly Projection<E>[],
  config: ProjectionsConfig,
): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  const first = projections[0]?.name;
  for (const { projection, schema } of projectionSpecs(projections, config)) {
    const ids = await migrateProjectorTables(pool, schema, first ?? projection.name);
    await projection.migrate(pool, schema);
    applied[schema] = [...(applied[schema] ?? []), ...ids];
  }
  return applied;
}

/** What the query side reads of the runtime: its stream positions. */
const RUNTIME_TABLES = ['projector_streams', 'projector_checkpoints'];

/**
 * ROLE=query runs under a read-only database role (no DDL: least privilege), so it does not
 * migrate; it waits until the projector has created what it reads, saying so every 5 s. A role
 * without USAGE on the schema fails here at once ("permission denied for schema"), not on the
 * first query.
 */
export async function waitForReadModel(
  pool: Pool,
  schema: string,
  readModelTables: readonly string[],
  logger: Logger,
  pollMs = 500,
): Promise<void> {
  const started = Date.now();
  let reported = started;
  const tables = [...readModelTables, ...RUNTIME_TABLES];
  for (;;) {
    const { rows } = await pool.query<{ missing: string[] }>(
      `SELECT coalesce(array_agg(t), '{}') AS missing
         FROM unnest($1::text[]) AS t WHERE to_regclass($2 || '.' || t) IS NULL`,
      [tables, checkedSchema(schema)],
    );
    const missing = rows[0]?.missing ?? [];
    if (missing.length === 0) return;
    if (Date.now() - reported >= 5_000) {
      reported = Date.now();
      logger.info(
        { schema, missing, waitedMs: reported - started },
        'waiting for the projector to create the read model',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
