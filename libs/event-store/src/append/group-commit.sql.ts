/**
 * The hot path of the command side, one transaction per batch of concurrent appends.
 *
 * The whole batch travels as one JSON parameter. An event is inserted only when its append's
 * expected version exists (or is 0), and ON CONFLICT skips versions another writer already
 * holds, so each append either lands whole or is reported as a conflict; the outbox rows are
 * written by the same statement.
 */
export const INSERT_EVENTS_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    ord integer, event_id uuid, stream_id text, stream_version integer, expected integer,
    type text, schema_version integer, data jsonb, metadata jsonb, occurred_at timestamptz)
), inserted AS (
  INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
  SELECT u.event_id, u.stream_id, u.stream_version, u.type, u.schema_version, u.data, u.metadata, u.occurred_at
  FROM input u
  WHERE u.expected = 0
     OR EXISTS (SELECT 1 FROM events e WHERE e.stream_id = u.stream_id AND e.stream_version = u.expected)
  ORDER BY u.ord
  ON CONFLICT DO NOTHING
  RETURNING event_id, global_position
), queued AS (
  INSERT INTO outbox (global_position) SELECT global_position FROM inserted
)
SELECT event_id::text AS event_id FROM inserted`;

export const INSERT_IDEMPOTENCY_SQL = `
INSERT INTO idempotency_keys (scope, key, request_hash, status, response)
SELECT scope, key, request_hash, status, response
FROM json_to_recordset($1::json) AS x(scope text, key text, request_hash text, status integer, response json)
ON CONFLICT DO NOTHING
RETURNING scope, key`;

/** Removes the events of appends that must not land after all (outbox rows cascade). */
export const DELETE_EVENTS_SQL = `DELETE FROM events WHERE event_id = ANY($1::uuid[])`;

export const OUTBOX_CHANNEL = 'event_store_outbox';
export const NOTIFY_SQL = `SELECT pg_notify('${OUTBOX_CHANNEL}', '')`;
