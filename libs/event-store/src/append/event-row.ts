import type { StoredEvent } from './append.types';

/** The columns every read of `events` selects, shared by the store's reads and the relay. */
export const EVENT_COLUMNS = `e.global_position::text, e.event_id::text, e.type, e.schema_version, e.stream_id,
         e.stream_version, e.occurred_at, e.recorded_at, e.data, e.metadata`;

export interface EventRow {
  global_position: string;
  event_id: string;
  type: string;
  schema_version: number;
  stream_id: string;
  stream_version: number;
  occurred_at: Date;
  recorded_at: Date;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
}

export const toStoredEvent = (row: EventRow): StoredEvent => ({
  globalPosition: row.global_position,
  eventId: row.event_id,
  type: row.type,
  schemaVersion: row.schema_version,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  data: row.data,
  metadata: row.metadata,
});
