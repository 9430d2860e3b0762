import { runMigrations, type SqlMigration } from '@cqrs/platform';
import { checkedSchema } from '@cqrs/projections';
import type { Pool } from 'pg';

/** FROZEN once deployed: add a migration to change the read model, never edit one. */
const sampleActivityV1 = (s: string): string => `
      CREATE TABLE ${s}.sample_activity (
        sample_id uuid PRIMARY KEY,
        events integer NOT NULL,
        last_event_type text NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      );`;

/** The `sample_activity` migrations for one schema (the live one, or a rebuild's fresh one). */
export function sampleActivityMigrations(schema: string): SqlMigration[] {
  const s = checkedSchema(schema);
  return [{ id: 'sample-activity-0001-read-model', sql: sampleActivityV1(s) }];
}

/** Applies what is pending, recorded in `<schema>.schema_migrations` next to the runtime's. */
export const migrateSampleActivity = (pool: Pool, schema: string): Promise<string[]> =>
  runMigrations(pool, sampleActivityMigrations(schema), { schema });
