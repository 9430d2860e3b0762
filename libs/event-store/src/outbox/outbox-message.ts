import type { Message } from 'kafkajs';
import type { StoredEvent } from '../append/append.types';

/**
 * A stored event as a Kafka message: the stream id is the key (one stream, one partition, so
 * per-stream order holds), the value is the JSON envelope, and the envelope's metadata is
 * repeated in headers so consumers and tools can route or trace without parsing the value.
 */
export function toKafkaMessage(event: StoredEvent): Message {
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
      'event-id': event.eventId,
      'event-type': event.type,
      'schema-version': String(event.schemaVersion),
      'stream-version': String(event.streamVersion),
      'correlation-id': event.metadata.correlationId,
      'causation-id': event.metadata.causationId,
      'actor-id': event.metadata.actorId,
      'occurred-at': event.occurredAt,
      ...(event.recordedAt ? { 'recorded-at': event.recordedAt } : {}),
    },
  };
}
