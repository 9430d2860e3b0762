import type { Pool } from 'pg';
import { checkedSchema, migrateProjectorTables } from '../../src';

/**
 * The runtime tables as tests set them up and read them back: every test that writes or
 * inspects checkpoints, stream versions, dead letters or parked events goes through here, so
 * the tables' shape is spelled once on the test side too.
 */

/** Creates (or upgrades) the runtime tables in `schema`; `owner` names pre-existing rows. */
export const runtimeTables = (pool: Pool, schema: string, owner = 'test'): Promise<string[]> =>
  migrateProjectorTables(pool, schema, owner);

export async function setCheckpoint(
  pool: Pool,
  schema: string,
  at: { projection: string; topic: string; partition: number; nextOffset: string | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO ${checkedSchema(schema)}.projector_checkpoints (projection, topic, partition, next_offset)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (projection, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
    [at.projection, at.topic, at.partition, at.nextOffset],
  );
}

/** Sum of a projection's checkpoints: the number of messages it consumed from offset 0. */
export async function checkpointSum(
  pool: Pool,
  schema: string,
  projection: string,
): Promise<number> {
  const { rows } = await pool.query<{ n: string | null }>(
    `SELECT sum(next_offset)::text AS n FROM ${checkedSchema(schema)}.projector_checkpoints
      WHERE projection = $1`,
    [projection],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function setStreamVersion(
  pool: Pool,
  schema: string,
  at: { projection: string; streamId: string; version: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO ${checkedSchema(schema)}.projector_streams (projection, stream_id, version)
     VALUES ($1, $2, $3)
     ON CONFLICT (projection, stream_id) DO UPDATE SET version = EXCLUDED.version`,
    [at.projection, at.streamId, at.version],
  );
}

export interface StreamRow {
  stream_id: string;
  version: number;
  parked_at: number | null;
}

export async function streamRows(
  pool: Pool,
  schema: string,
  projection: string,
): Promise<StreamRow[]> {
  const { rows } = await pool.query<StreamRow>(
    `SELECT stream_id, version, parked_at FROM ${checkedSchema(schema)}.projector_streams
      WHERE projection = $1 ORDER BY stream_id`,
    [projection],
  );
  return rows;
}

export interface DeadLetterRow {
  stream_id: string | null;
  stream_version: number | null;
  replayed: boolean;
}

export async function deadLetterRows(
  pool: Pool,
  schema: string,
  projection: string,
): Promise<DeadLetterRow[]> {
  const { rows } = await pool.query<DeadLetterRow>(
    `SELECT stream_id, stream_version, replayed_at IS NOT NULL AS replayed
       FROM ${checkedSchema(schema)}.projector_dead_letters WHERE projection = $1 ORDER BY id`,
    [projection],
  );
  return rows;
}

export async function parkedRows(
  pool: Pool,
  schema: string,
  projection: string,
): Promise<{ stream_id: string; stream_version: number }[]> {
  const { rows } = await pool.query<{ stream_id: string; stream_version: number }>(
    `SELECT stream_id, stream_version FROM ${checkedSchema(schema)}.projector_parked
      WHERE projection = $1 ORDER BY stream_id, stream_version`,
    [projection],
  );
  return rows;
}
