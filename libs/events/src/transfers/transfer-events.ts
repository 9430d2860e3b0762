import type { EnvelopeOf, EventPayload } from '../envelope/new-event';
import { defineEvent, type NewEventOf } from '../registry/event-definition';
import { createEventRegistry } from '../registry/event-registry';
import {
  TransferCompletedV1DataSchema,
  TransferFailedV1DataSchema,
  TransferRequestedV1DataSchema,
} from './transfer-events.schema';

/**
 * The transfers context's events. To change a published event: add a version here, move the old
 * schema into `legacy` with an upcaster, and run `pnpm events:generate` (published JSON Schemas
 * are frozen; the check fails when one changes).
 */
export const transferEventDefinitions = [
  defineEvent({
    type: 'TransferRequested',
    schemaVersion: 1,
    schema: TransferRequestedV1DataSchema,
  }),
  defineEvent({
    type: 'TransferCompleted',
    schemaVersion: 1,
    schema: TransferCompletedV1DataSchema,
  }),
  defineEvent({ type: 'TransferFailed', schemaVersion: 1, schema: TransferFailedV1DataSchema }),
  // gen:event-definitions (pnpm gen event adds an event type here)
] as const;

export const transferEventRegistry = createEventRegistry(transferEventDefinitions);

type TransferEventDefinition = (typeof transferEventDefinitions)[number];

/** A latest-version transfer event as a decider returns it (no envelope yet). */
export type NewTransferEvent = NewEventOf<TransferEventDefinition>;
/** A latest-version transfer event as read back from the store or Kafka. */
export type TransferEvent = EnvelopeOf<NewTransferEvent>;
/** `{ type, data }`: what both of the above have in common, and all `evolve` needs. */
export type TransferEventPayload = EventPayload<NewTransferEvent>;
export type TransferEventType = TransferEvent['type'];
