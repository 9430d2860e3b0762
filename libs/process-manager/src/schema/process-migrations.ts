import { runMigrations, type SqlMigration } from '@cqrs/platform';
import { checkedProjectionName } from '@cqrs/projections';
import type { Pool } from 'pg';
import { processTable } from './process-table.sql';

/**
 * FROZEN once released: one row per process.
 * - state: the definition's state as JSON; status: active until `next` says done;
 * - step: the step being attempted (null when done), attempts: failed tries of that step;
 * - next_attempt_at: when a driver may claim it (now for a fresh step, later after a failure);
 * - last_error: why the last attempt of the step failed (transport, 5xx, 429), for operators.
 * The partial index serves the drivers' claim (due active rows) and the age metrics.
 */
const processTableV1 = (t: string, name: string): string => `
    CREATE TABLE ${t} (
      process_id text PRIMARY KEY,
      state jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'done')),
      step text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_error text
    );
    CREATE INDEX ${name}_processes_due ON ${t} (next_attempt_at) WHERE status = 'active';
    CREATE INDEX ${name}_processes_active_age ON ${t} (created_at) WHERE status = 'active';`;

/**
 * The process table's migrations. They share `<schema>.schema_migrations` with the projector
 * runtime's tables, so the ids carry the process name.
 */
export function processTableMigrations(schema: string, name: string): SqlMigration[] {
  const n = checkedProjectionName(name);
  return [{ id: `process-${n}-0001-table`, sql: processTableV1(processTable(schema, n), n) }];
}

/** Creates or upgrades `<schema>.<name>_processes` (serialised per schema; see runMigrations). */
export function migrateProcessTable(pool: Pool, schema: string, name: string): Promise<string[]> {
  return runMigrations(pool, processTableMigrations(schema, name), { schema });
}
