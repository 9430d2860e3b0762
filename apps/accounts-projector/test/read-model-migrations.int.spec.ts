import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import { Pool } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrateProjections, type ProjectionsConfig } from '@cqrs/projector-service';
import { accountsProjectorService } from '../src/accounts-projector.service';

/**
 * The read model's migrations left TypeORM for the service's one runner. A schema TypeORM
 * migrated (by the code before, repeated here verbatim as the foil) upgrades without touching
 * its tables or rows: the runner finds TypeORM's history row and records its own migration as
 * applied. A fresh schema gets the same tables and indexes.
 */
const infra = testInfra();
let db: TestDatabase;
let pool: Pool;
const config = (schema: string) => ({
  READ_MODEL_SCHEMA: schema,
  eventsTopic: 'unused',
  KAFKA_GROUP_ID: 'unused',
});
/** The service's migrations (topic and group do not matter to them). */
const migrate = (pool: Pool, config: ProjectionsConfig) =>
  migrateProjections(pool, accountsProjectorService.projections, config);

/** The TypeORM migration the service ran before, as it was. */
class CreateAccountsReadModel1735700000001 implements MigrationInterface {
  readonly name = 'CreateAccountsReadModel1735700000001';
  async up(runner: QueryRunner): Promise<void> {
    const s = (runner.connection.options as PostgresConnectionOptions).schema ?? 'public';
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
  down(): Promise<void> {
    return Promise.resolve();
  }
}

async function migrateWithTypeOrm(schema: string): Promise<void> {
  await pool.query(`CREATE SCHEMA ${schema}`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: db.url,
    schema,
    migrations: [CreateAccountsReadModel1735700000001],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}

/** Tables, columns, constraints and indexes of a schema, comparable across schemas. */
async function shape(schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line
       FROM information_schema.columns
      WHERE table_schema = $1 AND table_name IN ('accounts', 'account_transactions')
     UNION ALL
     SELECT replace(pg_get_indexdef(indexrelid), $1 || '.', '') FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname IN ('accounts', 'account_transactions')
     UNION ALL
     SELECT conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k
       JOIN pg_namespace n ON n.oid = k.connamespace
      WHERE n.nspname = $1 AND k.conrelid <> 0
        AND k.conrelid::regclass::text NOT LIKE '%projector%'
        AND k.conrelid::regclass::text NOT LIKE '%migrations%'
     ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.line);
}

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'read-model-migrations');
  pool = new Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('adopts a schema TypeORM migrated and creates the same tables in a fresh one', async () => {
  await migrateWithTypeOrm('legacy_rm');
  await pool.query(
    `INSERT INTO legacy_rm.accounts VALUES (gen_random_uuid(), 'ann', 'EUR', 5, 'open', 1, now(), now())`,
  );

  await migrate(pool, config('legacy_rm'));
  await migrate(pool, config('fresh_rm'));

  const history = async (schema: string): Promise<string[]> =>
    (
      await pool.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations ORDER BY id`)
    ).rows.map((r) => r.id);
  const expected = [
    'accounts-0001-read-model',
    'accounts-0002-transfer-legs',
    'projector-0001-tables',
    'projector-0002-named-projections',
  ];
  expect(await history('legacy_rm')).toEqual(expected);
  expect(await history('fresh_rm')).toEqual(expected);
  const { rows } = await pool.query('SELECT owner_id FROM legacy_rm.accounts');
  expect(rows).toEqual([{ owner_id: 'ann' }]);
  expect(await shape('fresh_rm')).toEqual(await shape('legacy_rm'));
  expect(await shape('fresh_rm')).toContain(
    'CREATE INDEX accounts_owner_page ON accounts USING btree (owner_id, opened_at, account_id)',
  );
});
