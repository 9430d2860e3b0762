import type { Pool } from 'pg';

export interface SqlMigration {
  /** Sortable, never renamed: e.g. `0001-event-store`. */
  id: string;
  sql: string;
}

/**
 * Applies pending SQL migrations in id order, each in its own transaction, recorded in
 * `schema_migrations`. An advisory lock serialises concurrent starts of several instances, so
 * a service can migrate on boot safely. Returns the ids it applied.
 */
export async function runMigrations(
  pool: Pool,
  migrations: readonly SqlMigration[],
  lockKey = 72_707_001,
): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map(
        (r) => r.id,
      ),
    );
    for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      if (done.has(migration.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
        await client.query('COMMIT');
        applied.push(migration.id);
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `migration ${migration.id} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
    client.release();
  }
  return applied;
}
