/**
 * The whole group-commit write as one server-side function, so a batch of concurrent appends
 * costs ONE round trip (and one implicit transaction). Installed by migration 0003; the
 * previous, two-argument version stays in the database (append-function-v1.sql.ts) so that
 * instances of the previous release keep working during a rolling deploy.
 *
 * p_events: [{ ord, append, event_id, stream_id, stream_version, expected, type, schema_version,
 *              data, metadata, occurred_at }] in append order.
 * p_keys:   [{ ord, append, scope, key, request_hash, status, response }] (json: keeps the bytes).
 * p_key_ttl_seconds: an idempotency record older than this no longer holds its key.
 * Returns one row per append that did NOT land: 'version-conflict' or 'idempotency-key-taken'.
 *
 * What changed from v1:
 * - Rows are inserted in (stream_id, stream_version) and (scope, key) order, not arrival order.
 *   Two transactions that insert overlapping unique keys in different orders each wait for the
 *   other's uncommitted row: a deadlock. In one global order, one of them simply waits.
 * - An expired idempotency record is taken over (ON CONFLICT ... DO UPDATE WHERE expired), so a
 *   key is reusable after its TTL even before the purger deleted the old record. Only the
 *   first append of a key in a batch is inserted: DO UPDATE may not touch one row twice.
 *
 * An event is inserted only if its append's expected version exists (or is 0); ON CONFLICT
 * skips versions another writer holds. That check is one index probe per event (a LATERAL
 * lookup with LIMIT; see libs/event-store/test/read-cost). Among rows for the same stream and
 * version the first append (by ord) wins, as before. An append lands only whole: a partly
 * inserted one is deleted again (its outbox rows cascade), and so is one whose key was taken.
 */
export const APPEND_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION event_store_append(p_events jsonb, p_keys json, p_key_ttl_seconds integer)
RETURNS TABLE (append_no integer, outcome text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_inserted uuid[];
  v_failed integer[];
  v_won integer[];
  v_taken integer[];
  v_undo uuid[];
BEGIN
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(p_events) AS x(
      append integer, event_id uuid, stream_id text, stream_version integer, expected integer,
      type text, schema_version integer, data jsonb, metadata jsonb, occurred_at timestamptz, ord bigint)
  ), inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
    SELECT u.event_id, u.stream_id, u.stream_version, u.type, u.schema_version, u.data, u.metadata, u.occurred_at
      FROM input u
      LEFT JOIN LATERAL (
        SELECT true AS found FROM events e
         WHERE e.stream_id = u.stream_id AND e.stream_version = u.expected
         LIMIT 1
      ) prior ON true
     WHERE u.expected = 0 OR prior.found
     ORDER BY u.stream_id, u.stream_version, u.ord
    ON CONFLICT DO NOTHING
    RETURNING event_id, global_position
  ), queued AS (
    INSERT INTO outbox (global_position) SELECT global_position FROM inserted
  )
  SELECT coalesce(array_agg(event_id), '{}') INTO v_inserted FROM inserted;

  SELECT coalesce(array_agg(DISTINCT x.append), '{}') INTO v_failed
    FROM jsonb_to_recordset(p_events) AS x(append integer, event_id uuid)
   WHERE x.event_id <> ALL (v_inserted);

  WITH candidates AS (
    SELECT DISTINCT ON (k.scope, k.key) k.append, k.scope, k.key, k.request_hash, k.status, k.response
      FROM json_to_recordset(p_keys) AS k(append integer, scope text, key text, request_hash text, status integer, response json, ord bigint)
     WHERE k.append <> ALL (v_failed)
     ORDER BY k.scope, k.key, k.ord
  ), won AS (
    INSERT INTO idempotency_keys AS i (scope, key, request_hash, status, response)
    SELECT c.scope, c.key, c.request_hash, c.status, c.response FROM candidates c
     ORDER BY c.scope, c.key
    ON CONFLICT (scope, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status,
           response = EXCLUDED.response, created_at = now()
     WHERE i.created_at < now() - make_interval(secs => p_key_ttl_seconds)
    RETURNING i.scope, i.key
  )
  SELECT coalesce(array_agg(c.append), '{}') INTO v_won
    FROM candidates c JOIN won w ON w.scope = c.scope AND w.key = c.key;

  SELECT coalesce(array_agg(k.append), '{}') INTO v_taken
    FROM json_to_recordset(p_keys) AS k(append integer)
   WHERE k.append <> ALL (v_failed) AND k.append <> ALL (v_won);

  SELECT coalesce(array_agg(x.event_id), '{}') INTO v_undo
    FROM jsonb_to_recordset(p_events) AS x(append integer, event_id uuid)
   WHERE x.event_id = ANY (v_inserted) AND (x.append = ANY (v_failed) OR x.append = ANY (v_taken));
  IF cardinality(v_undo) > 0 THEN
    DELETE FROM events WHERE event_id = ANY (v_undo);
  END IF;
  IF cardinality(v_inserted) > cardinality(v_undo) THEN
    PERFORM pg_notify('event_store_outbox', '');
  END IF;

  RETURN QUERY
    SELECT f, 'version-conflict'::text FROM unnest(v_failed) AS f
    UNION ALL
    SELECT t, 'idempotency-key-taken'::text FROM unnest(v_taken) AS t;
END
$fn$`;
