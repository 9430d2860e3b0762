import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { checkedSchema } from '@cqrs/projections';
import { readModelMigrations } from './read-model.migrations';

/** Runs the read model's migrations; the service writes and reads with SQL, not entities. */
export function readModelDataSource(url: string, schema: string, poolSize = 2): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema: checkedSchema(schema),
    migrations: readModelMigrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  });
}

/**
 * Runs the read model's TypeORM migrations in `schema`, under an advisory lock (TypeORM has
 * none, and several instances may boot at once).
 */
export async function migrateReadModel(pool: Pool, url: string, schema: string): Promise<string[]> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [72_707_011]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${checkedSchema(schema)}`);
    const dataSource = readModelDataSource(url, schema, 1);
    await dataSource.initialize();
    try {
      return (await dataSource.runMigrations()).map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [72_707_011]).catch(() => undefined);
    lock.release();
  }
}
