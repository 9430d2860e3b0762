import type { Pool, PoolClient } from 'pg';

export interface SqlMigration {
  /** Sortable, never renamed: e.g. `0001-event-store`. */
  id: string;
  sql: string;
  /**
   * True when the database already holds what this migration creates, made by an earlier
   * migration tool (e.g. a TypeORM migration's history row). The migration is then recorded as
   * applied without running, so such a database upgrades cleanly. Runs in the migration's
   * transaction, under the lock.
   */
  adoptWhen?: (client: PoolClient) => Promise<boolean>;
}

export interface MigrationTarget {
  /**
   * The schema the migrations belong to: their history is `<schema>.schema_migrations` and the
   * advisory lock is the schema's own, so schemas (read models, a rebuild's shadow schema)
   * migrate independently. Omitted: `schema_migrations` on the search path, the event store's
   * history since its first migration.
   */
  schema?: string;
  /** Overrides the advisory lock key (the unqualified history's lock by default). */
  lockKey?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** The lock of the unqualified history; schema histories lock (this key, hashtext(schema)). */
const DEFAULT_LOCK_KEY = 72_707_001;

/**
 * Applies pending SQL migrations in id order, each in its own transaction, recorded in the
 * target's history table. An advisory lock serialises concurrent starts of several instances,
 * so a service can migrate on boot safely. Returns the ids it applied (adopted ones included).
 */
export async function runMigrations(
  pool: Pool,
  migrations: readonly SqlMigration[],
  target: MigrationTarget | number = {},
): Promise<string[]> {
  // A bare number is the lock key of the unqualified history (the original signature).
  const { schema, lockKey } =
    typeof target === 'number' ? { schema: undefined, lockKey: target } : target;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new Error(`invalid schema name: ${schema}`);
  }
  const history = schema === undefined ? 'schema_migrations' : `${schema}.schema_migrations`;
  const lock = advisoryLock(schema, lockKey);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(${lock.key})`, lock.params);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${history} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await client.query<{ id: string }>(`SELECT id FROM ${history}`)).rows.map((r) => r.id),
    );
    for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      if (done.has(migration.id)) continue;
      await applyOne(client, history, migration);
      applied.push(migration.id);
    }
  } finally {
    await client
      .query(`SELECT pg_advisory_unlock(${lock.key})`, lock.params)
      .catch(() => undefined);
    client.release();
  }
  return applied;
}

/** One bigint key for the unqualified history; (key, hashtext(schema)) per schema history. */
function advisoryLock(
  schema: string | undefined,
  lockKey: number | undefined,
): { key: string; params: unknown[] } {
  if (schema === undefined || lockKey !== undefined) {
    return { key: '$1::bigint', params: [lockKey ?? DEFAULT_LOCK_KEY] };
  }
  return { key: '$1::int, hashtext($2)', params: [DEFAULT_LOCK_KEY, schema] };
}

async function applyOne(
  client: PoolClient,
  history: string,
  migration: SqlMigration,
): Promise<void> {
  await client.query('BEGIN');
  try {
    const adopted = (await migration.adoptWhen?.(client)) === true;
    if (!adopted) await client.query(migration.sql);
    await client.query(`INSERT INTO ${history} (id) VALUES ($1)`, [migration.id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(
      `migration ${migration.id} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
