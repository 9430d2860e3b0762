import type { EventMetadata } from '../envelope/event-envelope.schema';

/**
 * The Kafka wire format of an event, owned by the schemas rather than by the store that
 * produces it: writers and readers (projectors, tools) agree on it through this lib alone, so
 * the read side never depends on the write side.
 */

/** Header names: the envelope's metadata, repeated so tools can route or trace unparsed. */
export const EVENT_HEADERS = {
  eventId: 'event-id',
  type: 'event-type',
  schemaVersion: 'schema-version',
  streamVersion: 'stream-version',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  actorId: 'actor-id',
  occurredAt: 'occurred-at',
  recordedAt: 'recorded-at',
} as const;

/** An event as it is published: the envelope fields, plus when the store wrote it if known. */
export interface EventRecord {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  occurredAt: string;
  /** When the store wrote it (inside the append transaction), when the producer knows it. */
  recordedAt?: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** What a producer sends; structurally a kafkajs `Message`. */
export interface EventMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * The stream id is the key (one stream, one partition, so per-stream order holds), the value is
 * the JSON envelope, and the metadata is repeated in headers.
 */
export function toKafkaMessage(event: EventRecord): EventMessage {
  const envelope = {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata,
  };
  return {
    key: event.streamId,
    value: JSON.stringify(envelope),
    headers: {
      [EVENT_HEADERS.eventId]: event.eventId,
      [EVENT_HEADERS.type]: event.type,
      [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion),
      [EVENT_HEADERS.streamVersion]: String(event.streamVersion),
      [EVENT_HEADERS.correlationId]: event.metadata.correlationId,
      [EVENT_HEADERS.causationId]: event.metadata.causationId,
      [EVENT_HEADERS.actorId]: event.metadata.actorId,
      [EVENT_HEADERS.occurredAt]: event.occurredAt,
      ...(event.recordedAt ? { [EVENT_HEADERS.recordedAt]: event.recordedAt } : {}),
    },
  };
}
