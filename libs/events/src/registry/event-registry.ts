import type { z } from 'zod';
import { EventEnvelopeSchema } from '../envelope/event-envelope.schema';
import type { EnvelopeOf } from '../envelope/new-event';
import { toIssuePointers } from '../validation/issue-pointers';
import type { EventDefinition, NewEventOf } from './event-definition';
import { parseFailure, type EventParseResult } from './event-parse-result';

/** The latest-version envelope union of a set of definitions, discriminated by `type`. */
export type EventOf<D> = EnvelopeOf<NewEventOf<D>>;

/** One (type, schemaVersion) pair with its data schema; the unit of JSON Schema generation. */
export interface EventSchemaVersion {
  readonly type: string;
  readonly schemaVersion: number;
  readonly schema: z.ZodType;
  readonly latest: boolean;
}

export interface EventRegistry<D extends EventDefinition> {
  readonly types: readonly D['type'][];
  latestVersion(type: D['type']): number;
  latestVersion(type: string): number | undefined;
  /** Every known (type, version), sorted by type then version. */
  schemaVersions(): readonly EventSchemaVersion[];
  /** Validates, upcasts to the latest version and types an event. Never throws. */
  parseEvent(input: unknown): EventParseResult<EventOf<D>>;
  /** `parseEvent` for a Kafka message value or a stored JSON column. Never throws. */
  parseEventJson(raw: string | Uint8Array): EventParseResult<EventOf<D>>;
}

interface VersionEntry {
  readonly schema: z.ZodType;
  readonly upcast?: (data: unknown) => unknown;
}

interface TypeEntry {
  readonly latest: number;
  readonly versions: ReadonlyMap<number, VersionEntry>;
}

/**
 * Builds a registry for one bounded context (or several: definitions are just data). Throws at
 * construction, i.e. at module load, when definitions are inconsistent: that is a programming
 * error, never a runtime condition.
 */
export function createEventRegistry<const Ds extends readonly EventDefinition[]>(
  definitions: Ds,
): EventRegistry<Ds[number]> {
  const byType = indexDefinitions(definitions);
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  const parseEvent = (input: unknown): EventParseResult<EventOf<Ds[number]>> => {
    try {
      return parseEnvelope(byType, input) as EventParseResult<EventOf<Ds[number]>>;
    } catch (error) {
      // Only exotic inputs get here (e.g. a Proxy whose traps throw); report, never rethrow.
      return parseFailure('EVENT_INVALID_ENVELOPE', `event could not be read: ${describe(error)}`);
    }
  };

  const parseEventJson = (raw: string | Uint8Array): EventParseResult<EventOf<Ds[number]>> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof raw === 'string' ? raw : utf8.decode(raw));
    } catch (error) {
      return parseFailure(
        'EVENT_INVALID_JSON',
        `event is not valid UTF-8 JSON: ${describe(error)}`,
      );
    }
    return parseEvent(parsed);
  };

  const schemaVersions = (): EventSchemaVersion[] =>
    [...byType.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([type, entry]) =>
        [...entry.versions.entries()]
          .sort(([a], [b]) => a - b)
          .map(([schemaVersion, { schema }]) => ({
            type,
            schemaVersion,
            schema,
            latest: schemaVersion === entry.latest,
          })),
      );

  const latestVersion = (type: string): number | undefined => byType.get(type)?.latest;

  return {
    types: definitions.map((definition) => definition.type),
    latestVersion: latestVersion as EventRegistry<Ds[number]>['latestVersion'],
    schemaVersions,
    parseEvent,
    parseEventJson,
  };
}

function indexDefinitions(definitions: readonly EventDefinition[]): Map<string, TypeEntry> {
  const byType = new Map<string, TypeEntry>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) {
      throw new Error(`event type ${definition.type} is registered twice`);
    }
    const versions = new Map<number, VersionEntry>();
    for (const legacy of definition.legacy) {
      versions.set(legacy.schemaVersion, {
        schema: legacy.schema,
        upcast: legacy.upcast as (data: unknown) => unknown,
      });
    }
    versions.set(definition.schemaVersion, { schema: definition.schema });
    // Upcasters chain one version at a time, so every version below the latest must exist.
    for (let version = 1; version <= definition.schemaVersion; version += 1) {
      const entry = versions.get(version);
      const needsUpcaster = version < definition.schemaVersion;
      if (entry === undefined || (needsUpcaster && entry.upcast === undefined)) {
        throw new Error(`event type ${definition.type} lacks version ${version} or its upcaster`);
      }
    }
    if (versions.size !== definition.schemaVersion) {
      throw new Error(`event type ${definition.type} has versions above its latest`);
    }
    byType.set(definition.type, { latest: definition.schemaVersion, versions });
  }
  return byType;
}

function parseEnvelope(
  byType: ReadonlyMap<string, TypeEntry>,
  input: unknown,
): EventParseResult<unknown> {
  const envelope = EventEnvelopeSchema.safeParse(input);
  if (!envelope.success) {
    const issues = toIssuePointers(envelope.error.issues);
    return parseFailure('EVENT_INVALID_ENVELOPE', 'event envelope is invalid', issues);
  }
  const { type, schemaVersion } = envelope.data;
  const entry = byType.get(type);
  if (entry === undefined) {
    return parseFailure('EVENT_UNKNOWN_TYPE', `unknown event type ${JSON.stringify(type)}`);
  }
  const stored = entry.versions.get(schemaVersion);
  if (stored === undefined) {
    const message = `${type} has no schema version ${schemaVersion} (latest is ${entry.latest})`;
    return parseFailure('EVENT_UNKNOWN_VERSION', message);
  }

  let current = stored.schema.safeParse(envelope.data.data);
  if (!current.success) {
    return invalidPayload(`${type} v${schemaVersion} data is invalid`, current.error);
  }
  for (let version = schemaVersion; version < entry.latest; version += 1) {
    const upcast = entry.versions.get(version)?.upcast;
    const next = entry.versions.get(version + 1);
    if (upcast === undefined || next === undefined) {
      return parseFailure('EVENT_UNKNOWN_VERSION', `${type} has no path from v${version}`);
    }
    let lifted: unknown;
    try {
      lifted = upcast(current.data);
    } catch (error) {
      const message = `upcasting ${type} v${version} to v${version + 1} failed: ${describe(error)}`;
      return parseFailure('EVENT_INVALID_PAYLOAD', message);
    }
    // Re-validating after each step catches upcaster bugs here, not deep in a projection.
    current = next.schema.safeParse(lifted);
    if (!current.success) {
      const message = `${type} v${schemaVersion} upcast to v${version + 1} is invalid`;
      return invalidPayload(message, current.error);
    }
  }
  return { ok: true, event: { ...envelope.data, schemaVersion: entry.latest, data: current.data } };
}

function invalidPayload(message: string, error: z.ZodError): EventParseResult<never> {
  const issues = toIssuePointers(error.issues).map((issue) => ({
    ...issue,
    pointer: `/data${issue.pointer}`,
  }));
  return parseFailure('EVENT_INVALID_PAYLOAD', message, issues);
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
