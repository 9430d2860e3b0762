import type { z } from 'zod';

/** An older, published version of an event: its schema and how to lift its data one version up. */
export interface LegacyEventVersion {
  readonly schemaVersion: number;
  readonly schema: z.ZodType<Record<string, unknown>>;
  /** Turns valid data of this version into data of `schemaVersion + 1` (validated afterwards). */
  readonly upcast: (data: never) => unknown;
}

/**
 * Everything the registry knows about one event type. Only the latest version is visible to
 * code (types, deciders, projections); legacy versions exist so stored events stay readable.
 */
export interface EventDefinition<
  Type extends string = string,
  Version extends number = number,
  Schema extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
> {
  readonly type: Type;
  readonly schemaVersion: Version;
  readonly schema: Schema;
  readonly legacy: readonly LegacyEventVersion[];
}

export function defineEvent<
  const Type extends string,
  const Version extends number,
  Schema extends z.ZodType<Record<string, unknown>>,
>(definition: {
  type: Type;
  schemaVersion: Version;
  schema: Schema;
  legacy?: readonly LegacyEventVersion[];
}): EventDefinition<Type, Version, Schema> {
  return { ...definition, legacy: definition.legacy ?? [] };
}

/**
 * Ties an upcaster's input type to its version's schema, then erases it for storage in the
 * definition (the registry only calls it with data that passed that very schema).
 */
export function legacyVersion<Schema extends z.ZodType<Record<string, unknown>>>(
  schemaVersion: number,
  schema: Schema,
  upcast: (data: z.output<Schema>) => unknown,
): LegacyEventVersion {
  return { schemaVersion, schema, upcast: upcast };
}

/** The latest-version envelope union of a set of definitions, discriminated by `type`. */
export type NewEventOf<D> =
  D extends EventDefinition<infer Type, infer Version, infer Schema>
    ? { readonly type: Type; readonly schemaVersion: Version; readonly data: z.output<Schema> }
    : never;
