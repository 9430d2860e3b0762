import type { EventMetadata, EventRecord } from '@cqrs/events';

/** An event ready to be stored: the envelope minus what the store assigns (its position). */
export interface PendingEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: object;
  metadata: EventMetadata;
  occurredAt: string;
}

/** The first outcome of a command that carried an Idempotency-Key, stored with its events. */
export interface IdempotencyRecord {
  /** Who may replay it (the actor), so one subject's keys never collide with another's. */
  scope: string;
  key: string;
  /** Hash of what was asked (route and body): the same key with another request is refused. */
  requestHash: string;
  status: number;
  response: unknown;
}

export interface AppendRequest {
  streamId: string;
  /** The version the caller decided against; 0 for a stream that must not exist yet. */
  expectedVersion: number;
  /** May be empty to store only an idempotency record (a rejected command's outcome). */
  events: readonly PendingEvent[];
  idempotency?: IdempotencyRecord;
}

export type AppendResult =
  | { ok: true; nextVersion: number }
  /** The stream is not at expectedVersion (another writer won): reload and decide again. */
  | { ok: false; reason: 'version-conflict' }
  /** Another request stored an outcome under this key first: read and return that one. */
  | { ok: false; reason: 'idempotency-key-taken' };

/** A stored event as read back: the published record plus its position in the store. */
export interface StoredEvent extends EventRecord {
  globalPosition: string;
}

export interface StoredIdempotencyRecord {
  requestHash: string;
  status: number;
  response: unknown;
}
