import { EVENT_COLUMNS } from '../append/event-row';

/**
 * Deletes what Kafka acknowledged ($1) and fetches the next batch of at most $3 events in one
 * round trip, skipping the batch still in flight ($2). The fetch sees the deleted rows (same
 * snapshot), hence the explicit exclusion of both.
 *
 * The batch's positions are taken from the outbox first and the events then looked up by key
 * (`= ANY`). A plain join let the planner pick a merge join that walks `events` from its first
 * row on every fetch whenever it believed the outbox large (statistics not yet refreshed after
 * a backlog, or autovacuum off): the relay's cost grew with the whole store, not the batch.
 */
export const ACK_AND_FETCH_SQL = `
  WITH acked AS (DELETE FROM outbox WHERE global_position = ANY ($1::bigint[]))
  SELECT ${EVENT_COLUMNS}
    FROM events e
   WHERE e.global_position = ANY (ARRAY(
           SELECT o.global_position FROM outbox o
            WHERE o.global_position <> ALL ($1::bigint[]) AND o.global_position <> ALL ($2::bigint[])
            ORDER BY o.global_position
            LIMIT $3))
   ORDER BY e.global_position`;
