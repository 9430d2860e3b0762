import type { SqlMigration } from '@cqrs/platform';
import { APPEND_FUNCTION_V1_SQL } from './append-function-v1.sql';
import { APPEND_FUNCTION_SQL } from './append-function.sql';

/**
 * The command side's tables. `events` is append-only: the unique (stream_id, stream_version)
 * is the optimistic-concurrency guard and unique event_id makes redelivery detectable.
 * `outbox` holds the positions not yet on Kafka; the relay deletes them once acknowledged, so it
 * stays tiny. `idempotency_keys` stores the first outcome of a keyed command, written in the
 * same transaction as the events it produced.
 */
export const eventStoreMigrations: SqlMigration[] = [
  {
    id: '0001-event-store',
    sql: `
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (stream_id, stream_version)
      );
      CREATE TABLE outbox (
        global_position bigint PRIMARY KEY REFERENCES events (global_position) ON DELETE CASCADE
      );
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer NOT NULL,
        response json NOT NULL, -- json, not jsonb: a replay answers the stored bytes
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );
      ${APPEND_FUNCTION_V1_SQL};
    `,
  },
  {
    // The append function's expected-version check by index probe (see append-function-v1.sql).
    id: '0002-append-by-index-probe',
    sql: `${APPEND_FUNCTION_V1_SQL};`,
  },
  {
    // Inserts in key order (no deadlock between instances), idempotency records that expire,
    // and the index the purger deletes them by (see append-function.sql).
    id: '0003-ordered-append-expiring-keys',
    sql: `
      CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
      ${APPEND_FUNCTION_SQL};
    `,
  },
];
