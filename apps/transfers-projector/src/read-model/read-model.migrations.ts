import { runMigrations, type SqlMigration } from '@cqrs/platform';
import { checkedSchema } from '@cqrs/projections';
import type { Pool } from 'pg';

/** FROZEN once deployed: add a migration to change the read model, never edit one. */
const readModelV1 = (s: string): string => `
      CREATE TABLE ${s}.transfers (
        transfer_id uuid PRIMARY KEY,
        from_account_id uuid NOT NULL,
        to_account_id uuid NOT NULL,
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        requested_by text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
        failure_code text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      -- Keyset pagination of "my sent transfers", newest first:
      -- WHERE requested_by = $1 AND (created_at, transfer_id) < cursor ORDER BY ... DESC.
      CREATE INDEX transfers_sender_page ON ${s}.transfers (requested_by, created_at, transfer_id);`;

/** The read model's migrations for one schema (the live one, or a rebuild's fresh one). */
export function readModelMigrations(schema: string): SqlMigration[] {
  const s = checkedSchema(schema);
  return [{ id: 'transfers-0001-read-model', sql: readModelV1(s) }];
}

/** Applies what is pending, recorded in `<schema>.schema_migrations` next to the runtime's. */
export const migrateReadModel = (pool: Pool, schema: string): Promise<string[]> =>
  runMigrations(pool, readModelMigrations(schema), { schema });
