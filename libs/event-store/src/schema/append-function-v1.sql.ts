/**
 * FROZEN: the text migrations 0001 and 0002 applied. Never edit it (a fresh database must get
 * exactly what an old one got); migration 0003 installs its successor (append-function.sql.ts).
 *
 * The whole group-commit write as one server-side function, so a batch of concurrent appends
 * costs ONE round trip (and one implicit transaction) instead of BEGIN, insert, idempotency
 * insert, cleanup, NOTIFY and COMMIT. On this kind of machine every socket write is a costly
 * syscall, and the round trips were most of a batch's latency.
 *
 * p_events: [{ ord, append, event_id, stream_id, stream_version, expected, type, schema_version,
 *              data, metadata, occurred_at }] in append order.
 * p_keys:   [{ ord, append, scope, key, request_hash, status, response }] (json: keeps the bytes).
 * Returns one row per append that did NOT land: 'version-conflict' or 'idempotency-key-taken'.
 *
 * An event is inserted only if its append's expected version exists (or is 0); ON CONFLICT
 * skips versions another writer holds. That check is one index probe per event (a LATERAL
 * lookup with LIMIT, which the planner cannot turn into a join): written as `OR EXISTS (...)` it
 * let the planner hash the whole `events` table once per batch, and plpgsql kept that plan,
 * made while the table was small, as the store grew (libs/event-store/test/read-cost).
 * Migration 0002 replaces the function in databases created before.
 *
 * An append lands only whole: a partly inserted one is deleted again (its outbox rows cascade),
 * and so is one whose idempotency key was taken.
 */
export const APPEND_FUNCTION_V1_SQL = `
CREATE OR REPLACE FUNCTION event_store_append(p_events jsonb, p_keys json)
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
     ORDER BY u.ord
    ON CONFLICT DO NOTHING
    RETURNING event_id, global_position
  ), queued AS (
    INSERT INTO outbox (global_position) SELECT global_position FROM inserted
  )
  SELECT coalesce(array_agg(event_id), '{}') INTO v_inserted FROM inserted;

  SELECT coalesce(array_agg(DISTINCT x.append), '{}') INTO v_failed
    FROM jsonb_to_recordset(p_events) AS x(append integer, event_id uuid)
   WHERE x.event_id <> ALL (v_inserted);

  WITH won AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, status, response)
    SELECT k.scope, k.key, k.request_hash, k.status, k.response
      FROM json_to_recordset(p_keys) AS k(append integer, scope text, key text, request_hash text, status integer, response json, ord bigint)
     WHERE k.append <> ALL (v_failed)
     ORDER BY k.ord
    ON CONFLICT DO NOTHING
    RETURNING scope, key
  )
  SELECT coalesce(array_agg(k.append), '{}') INTO v_won
    FROM (SELECT DISTINCT ON (k.scope, k.key) k.append, k.scope, k.key
            FROM json_to_recordset(p_keys) AS k(append integer, scope text, key text, ord bigint)
           WHERE k.append <> ALL (v_failed)
           ORDER BY k.scope, k.key, k.ord) k
    JOIN won w ON w.scope = k.scope AND w.key = k.key;

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
