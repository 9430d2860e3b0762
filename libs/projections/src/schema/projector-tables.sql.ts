import type { Pool } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names are interpolated into SQL, so only plain lower-case identifiers are accepted. */
export function checkedSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/**
 * The runtime's own tables, created in the read model's schema on purpose: the checkpoint and
 * the stream versions describe exactly that copy of the read model, so a blue/green rebuild
 * swaps them together with the read-model tables by renaming one schema.
 *
 * - projector_checkpoints: next offset to apply per topic-partition (NULL: none applied yet);
 * - projector_streams: last applied version per stream; parked_at is the version that could
 *   not be applied (dead-lettered or missing) while the stream is parked;
 * - projector_dead_letters: every poison message with its reason and raw bytes;
 * - projector_parked: later events of a parked stream, waiting for the replay command.
 */
export function projectorTablesSql(schema: string): string {
  const s = checkedSchema(schema);
  return `
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE IF NOT EXISTS ${s}.projector_checkpoints (
      topic text NOT NULL,
      partition integer NOT NULL,
      next_offset bigint,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (topic, partition)
    );
    CREATE TABLE IF NOT EXISTS ${s}.projector_streams (
      stream_id text PRIMARY KEY,
      version integer NOT NULL,
      parked_at integer
    );
    CREATE TABLE IF NOT EXISTS ${s}.projector_dead_letters (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      topic text NOT NULL,
      partition integer NOT NULL,
      kafka_offset bigint NOT NULL,
      stream_id text,
      stream_version integer,
      reason_code text NOT NULL,
      reason text NOT NULL,
      value bytea,
      headers jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz,
      UNIQUE (topic, partition, kafka_offset)
    );
    CREATE TABLE IF NOT EXISTS ${s}.projector_parked (
      stream_id text NOT NULL,
      stream_version integer NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      kafka_offset bigint NOT NULL,
      value bytea NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (stream_id, stream_version)
    );`;
}

/** Idempotent; serialised by an advisory lock so instances starting together do not race. */
export async function ensureProjectorTables(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [72_707_010]);
    await client.query(projectorTablesSql(schema));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [72_707_010]).catch(() => undefined);
    client.release();
  }
}

/** One channel per projection; the payload stays empty (NOTIFY payloads are capped at 8 kB). */
export const positionsChannel = (projection: string): string =>
  `projection_${checkedSchema(projection)}`;
