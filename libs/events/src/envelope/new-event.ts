import type { EventEnvelope, EventMetadata } from './event-envelope.schema';

/** What a decider returns: an event of the latest version, before the store gives it a place. */
export interface NewEvent<
  Type extends string = string,
  Data extends object = Record<string, unknown>,
  Version extends number = number,
> {
  readonly type: Type;
  readonly schemaVersion: Version;
  readonly data: Data;
}

/** The `{ type, data }` part shared by new events and stored envelopes (what `evolve` needs). */
export type EventPayload<E> = E extends { readonly type: infer T; readonly data: infer D }
  ? { readonly type: T; readonly data: D }
  : never;

export interface EnvelopeFields {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  /** A Date is normalised to ISO-8601 UTC, the only form the envelope schema stores. */
  readonly occurredAt: string | Date;
  readonly metadata: EventMetadata;
}

/** The envelope type for a new event, distributed over unions so `type` still discriminates. */
export type EnvelopeOf<E> =
  E extends NewEvent<infer Type, infer Data, infer Version>
    ? EventEnvelope<Type, Data, Version>
    : never;

export function toEnvelope<E extends NewEvent<string, object, number>>(
  event: E,
  fields: EnvelopeFields,
): EnvelopeOf<E> {
  const occurredAt =
    typeof fields.occurredAt === 'string' ? fields.occurredAt : fields.occurredAt.toISOString();
  const envelope: EventEnvelope<string, object, number> = {
    eventId: fields.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: fields.streamId,
    streamVersion: fields.streamVersion,
    occurredAt,
    data: event.data,
    metadata: fields.metadata,
  };
  // The conditional type cannot be narrowed by TypeScript; the object is built field by field.
  return envelope as EnvelopeOf<E>;
}
