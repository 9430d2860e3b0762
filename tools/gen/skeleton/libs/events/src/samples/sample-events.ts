import type { EnvelopeOf, EventPayload } from '../envelope/new-event';
import { defineEvent, type NewEventOf } from '../registry/event-definition';
import { createEventRegistry } from '../registry/event-registry';
import { SampleCreatedV1DataSchema, SampleRenamedV1DataSchema } from './sample-events.schema';

/**
 * The samples context's events. To change a published event: add a version here, move the old
 * schema into `legacy` with an upcaster, and run `pnpm events:generate` (published JSON Schemas
 * are frozen; the check fails when one changes).
 */
export const sampleEventDefinitions = [
  defineEvent({ type: 'SampleCreated', schemaVersion: 1, schema: SampleCreatedV1DataSchema }),
  defineEvent({ type: 'SampleRenamed', schemaVersion: 1, schema: SampleRenamedV1DataSchema }),
  // gen:event-definitions (pnpm gen event adds an event type here)
] as const;

export const sampleEventRegistry = createEventRegistry(sampleEventDefinitions);

type SampleEventDefinition = (typeof sampleEventDefinitions)[number];

/** A latest-version sample event as a decider returns it (no envelope yet). */
export type NewSampleEvent = NewEventOf<SampleEventDefinition>;
/** A latest-version sample event as read back from the store or Kafka. */
export type SampleEvent = EnvelopeOf<NewSampleEvent>;
/** `{ type, data }`: what both of the above have in common, and all `evolve` needs. */
export type SampleEventPayload = EventPayload<NewSampleEvent>;
export type SampleEventType = SampleEvent['type'];
