import { runMigrations, type SqlMigration } from '@cqrs/platform';
import type { Pool } from 'pg';
import { checkedProjectionName, checkedSchema } from './projector-tables.sql';

/**
 * FROZEN: the runtime's tables as the projector created them before named projections
 * (`CREATE ... IF NOT EXISTS` on every boot). Never edit it: a database made by that code
 * runs it as a no-op and is then recorded like a fresh one.
 *
 * - projector_checkpoints: next offset to apply per topic-partition (NULL: none applied yet);
 * - projector_streams: last applied version per stream; parked_at is the version that could
 *   not be applied (dead-lettered or missing) while the stream is parked;
 * - projector_dead_letters: every poison message with its reason and raw bytes;
 * - projector_parked: later events of a parked stream, waiting for the replay command.
 */
const tablesV1 = (s: string): string => `
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

/**
 * FROZEN: every row belongs to a named projection, so several projections can share the
 * tables (and one database) and be rebuilt or replayed on their own. Rows already there were
 * written by the one projection that ran before: they get `owner`'s name. The default only
 * fills those rows (a metadata-only change) and is dropped: writers always name the projection.
 */
const namedProjectionsV2 = (s: string, owner: string): string => `
    ALTER TABLE ${s}.projector_checkpoints ADD COLUMN projection text NOT NULL DEFAULT '${owner}';
    ALTER TABLE ${s}.projector_checkpoints ALTER COLUMN projection DROP DEFAULT;
    ALTER TABLE ${s}.projector_checkpoints DROP CONSTRAINT projector_checkpoints_pkey,
      ADD PRIMARY KEY (projection, topic, partition);

    ALTER TABLE ${s}.projector_streams ADD COLUMN projection text NOT NULL DEFAULT '${owner}';
    ALTER TABLE ${s}.projector_streams ALTER COLUMN projection DROP DEFAULT;
    ALTER TABLE ${s}.projector_streams DROP CONSTRAINT projector_streams_pkey,
      ADD PRIMARY KEY (projection, stream_id);

    ALTER TABLE ${s}.projector_dead_letters ADD COLUMN projection text NOT NULL DEFAULT '${owner}';
    ALTER TABLE ${s}.projector_dead_letters ALTER COLUMN projection DROP DEFAULT;
    ALTER TABLE ${s}.projector_dead_letters
      DROP CONSTRAINT projector_dead_letters_topic_partition_kafka_offset_key,
      ADD UNIQUE (projection, topic, partition, kafka_offset);
    CREATE INDEX projector_dead_letters_stream
      ON ${s}.projector_dead_letters (projection, stream_id) WHERE replayed_at IS NULL;

    ALTER TABLE ${s}.projector_parked ADD COLUMN projection text NOT NULL DEFAULT '${owner}';
    ALTER TABLE ${s}.projector_parked ALTER COLUMN projection DROP DEFAULT;
    ALTER TABLE ${s}.projector_parked DROP CONSTRAINT projector_parked_pkey,
      ADD PRIMARY KEY (projection, stream_id, stream_version);`;

/**
 * The runtime's migrations for one schema. `owner`: the projection that owns rows written
 * before projections were named (the service's first projection); it only matters to a
 * database created by that code.
 */
export function projectorTableMigrations(schema: string, owner: string): SqlMigration[] {
  const s = checkedSchema(schema);
  const o = checkedProjectionName(owner);
  return [
    { id: 'projector-0001-tables', sql: tablesV1(s) },
    { id: 'projector-0002-named-projections', sql: namedProjectionsV2(s, o) },
  ];
}

/** Brings the runtime's tables in `schema` up to date (serialised per schema; see runMigrations). */
export async function migrateProjectorTables(
  pool: Pool,
  schema: string,
  owner: string,
): Promise<string[]> {
  return runMigrations(pool, projectorTableMigrations(schema, owner), { schema });
}
