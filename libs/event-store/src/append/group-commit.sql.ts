/** The group-commit write: see schema/append-function.sql.ts for what the function does. */
export const APPEND_SQL =
  'SELECT append_no, outcome FROM event_store_append($1::jsonb, $2::json, $3::integer)';

/** NOTIFY channel the append function signals and the outbox relay LISTENs on. */
export const OUTBOX_CHANNEL = 'event_store_outbox';
