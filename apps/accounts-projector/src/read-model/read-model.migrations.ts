import { runMigrations, type SqlMigration } from '@cqrs/platform';
import { checkedSchema } from '@cqrs/projections';
import type { Pool, PoolClient } from 'pg';

/** The name TypeORM recorded for the first read-model migration, before this runner. */
const TYPEORM_READ_MODEL_V1 = 'CreateAccountsReadModel1735700000001';

/**
 * FROZEN: accounts + account_transactions exactly as the TypeORM migration
 * CreateAccountsReadModel1735700000001 created them. Never edit it.
 */
const readModelV1 = (s: string): string => `
      CREATE TABLE ${s}.accounts (
        account_id uuid PRIMARY KEY,
        owner_id text NOT NULL,
        currency text NOT NULL,
        balance bigint NOT NULL CHECK (balance >= 0),
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        version integer NOT NULL,
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      -- Keyset pagination of "my accounts": WHERE owner_id = $1 AND (opened_at, account_id) > cursor.
      CREATE INDEX accounts_owner_page ON ${s}.accounts (owner_id, opened_at, account_id);
      CREATE TABLE ${s}.account_transactions (
        account_id uuid NOT NULL,
        version integer NOT NULL,
        type text NOT NULL CHECK (type IN ('deposit', 'withdrawal')),
        amount bigint NOT NULL,
        balance_after bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, version)
      );`;

/**
 * FROZEN: the legs of transfers in the history. Each names its transfer; deposits and
 * withdrawals never do (the CHECK keeps the two apart). The type CHECK is the one Postgres
 * named for v1's column constraint. Never edit it; add a migration.
 */
const transferLegsV2 = (s: string): string => `
      ALTER TABLE ${s}.account_transactions ADD COLUMN transfer_id uuid;
      ALTER TABLE ${s}.account_transactions DROP CONSTRAINT account_transactions_type_check;
      ALTER TABLE ${s}.account_transactions ADD CONSTRAINT account_transactions_type_check
        CHECK (type IN ('deposit', 'withdrawal', 'transfer-out', 'transfer-in', 'transfer-refund'));
      ALTER TABLE ${s}.account_transactions ADD CONSTRAINT account_transactions_transfer_id_check
        CHECK ((transfer_id IS NULL) = (type IN ('deposit', 'withdrawal')));`;

/**
 * A schema TypeORM already migrated holds these tables: its `typeorm_migrations` row says so,
 * and the migration is recorded as applied instead of failing on CREATE TABLE.
 */
const migratedByTypeOrm =
  (s: string) =>
  async (client: PoolClient): Promise<boolean> => {
    const { rows } = await client.query<{ exists: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [`${s}.typeorm_migrations`],
    );
    if (rows[0]?.exists !== true) return false;
    const recorded = await client.query(`SELECT 1 FROM ${s}.typeorm_migrations WHERE name = $1`, [
      TYPEORM_READ_MODEL_V1,
    ]);
    return (recorded.rowCount ?? 0) > 0;
  };

/** The read model's migrations for one schema (the live one, or a rebuild's fresh one). */
export function readModelMigrations(schema: string): SqlMigration[] {
  const s = checkedSchema(schema);
  return [
    { id: 'accounts-0001-read-model', sql: readModelV1(s), adoptWhen: migratedByTypeOrm(s) },
    { id: 'accounts-0002-transfer-legs', sql: transferLegsV2(s) },
  ];
}

/** Applies what is pending, recorded in `<schema>.schema_migrations` next to the runtime's. */
export const migrateReadModel = (pool: Pool, schema: string): Promise<string[]> =>
  runMigrations(pool, readModelMigrations(schema), { schema });
