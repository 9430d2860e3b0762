import type { Pool } from 'pg';

/**
 * Drops the secondary indexes of `schema` (those backing no constraint: a constraint's index
 * may be an ON CONFLICT arbiter the projection needs while loading) and returns the statements
 * that create them again. Building an index once over loaded rows is far cheaper than
 * maintaining it row by row during a bulk load.
 */
export async function dropSecondaryIndexes(pool: Pool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string; definition: string }>(
    `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY ic.relname`,
    [schema],
  );
  for (const row of rows) await pool.query(`DROP INDEX ${row.name}`);
  return rows.map((row) => row.definition);
}

/** Creates the indexes dropped above, then refreshes the planner statistics of the schema. */
export async function restoreIndexes(
  pool: Pool,
  schema: string,
  definitions: readonly string[],
): Promise<void> {
  await Promise.all(definitions.map((definition) => pool.query(definition)));
  const { rows } = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1`,
    [schema],
  );
  // A freshly loaded table has no statistics until autovacuum comes by: the first queries
  // after the swap would be planned blind.
  for (const row of rows) await pool.query(`ANALYZE ${row.name}`);
}
