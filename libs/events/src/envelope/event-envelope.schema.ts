import { z } from 'zod';

/**
 * The envelope is the part every event shares, whatever its type. Unknown envelope and metadata
 * fields are stripped rather than rejected (tolerant reader): producers may add tracing fields
 * without breaking older consumers. Event *data*, by contrast, is strict and versioned.
 */
export const EventMetadataSchema = z.object({
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200),
  actorId: z.string().min(1).max(200),
});
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * `data` is checked only for being a plain object here; the registry validates it against the
 * schema of its (type, schemaVersion). A custom check, not `z.record`, so the original object
 * reaches the strict data schema uncopied (a copied `__proto__` key would silently vanish).
 */
const EventDataSchema = z.custom<Record<string, unknown>>(isPlainObject, {
  message: 'data must be a JSON object',
});

export const EventEnvelopeSchema = z.object({
  eventId: z.uuid(),
  type: z.string().min(1).max(200),
  schemaVersion: z.int().min(1),
  streamId: z.string().min(1).max(200),
  streamVersion: z.int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  data: EventDataSchema,
  metadata: EventMetadataSchema,
});

/** An envelope whose data has not been checked against its event schema yet. */
export type RawEventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/** A validated event: the envelope with its typed data. */
export interface EventEnvelope<
  Type extends string = string,
  Data extends object = Record<string, unknown>,
  Version extends number = number,
> {
  readonly eventId: string;
  readonly type: Type;
  readonly schemaVersion: Version;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly occurredAt: string;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** Envelope shape for documentation (JSON Schema); `data` is described per event type. */
export const EventEnvelopeDocSchema = EventEnvelopeSchema.extend({
  data: z.record(z.string(), z.unknown()),
});
