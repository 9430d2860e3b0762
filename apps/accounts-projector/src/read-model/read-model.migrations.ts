import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { checkedSchema } from '@cqrs/projections';

/** Migrations run against one schema (live or rebuild), the one their DataSource names. */
const schemaOf = (runner: QueryRunner): string =>
  checkedSchema((runner.connection.options as PostgresConnectionOptions).schema ?? 'public');

export class CreateAccountsReadModel1735700000001 implements MigrationInterface {
  readonly name = 'CreateAccountsReadModel1735700000001';

  async up(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${s}.accounts (
        account_id uuid PRIMARY KEY,
        owner_id text NOT NULL,
        currency text NOT NULL,
        balance bigint NOT NULL CHECK (balance >= 0),
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        version integer NOT NULL,
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Keyset pagination of "my accounts": WHERE owner_id = $1 AND (opened_at, account_id) > cursor.
    await runner.query(
      `CREATE INDEX accounts_owner_page ON ${s}.accounts (owner_id, opened_at, account_id)`,
    );
    await runner.query(`
      CREATE TABLE ${s}.account_transactions (
        account_id uuid NOT NULL,
        version integer NOT NULL,
        type text NOT NULL CHECK (type IN ('deposit', 'withdrawal')),
        amount bigint NOT NULL,
        balance_after bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, version)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = schemaOf(runner);
    await runner.query(`DROP TABLE ${s}.account_transactions`);
    await runner.query(`DROP TABLE ${s}.accounts`);
  }
}

export const readModelMigrations = [CreateAccountsReadModel1735700000001];
