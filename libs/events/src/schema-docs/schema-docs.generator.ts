import { z } from 'zod';
import { EventEnvelopeDocSchema } from '../envelope/event-envelope.schema';
import type { EventSchemaVersion } from '../registry/event-registry';

/** File name -> exact content; everything in the docs folder is owned by the generator. */
export type SchemaDocs = ReadonlyMap<string, string>;

export const schemaFileName = (type: string, schemaVersion: number): string =>
  `${type}.v${schemaVersion}.json`;

/** Stable serialisation: the check compares bytes, so output must not depend on anything else. */
const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function versionDoc(version: EventSchemaVersion): string {
  const { $schema, ...rest } = z.toJSONSchema(version.schema, { target: 'draft-2020-12' });
  return toJson({
    $schema,
    title: `${version.type} v${version.schemaVersion} data`,
    ...rest,
  });
}

function envelopeDoc(): string {
  const { $schema, ...rest } = z.toJSONSchema(EventEnvelopeDocSchema, { target: 'draft-2020-12' });
  return toJson({
    $schema,
    title: 'Event envelope',
    description: '`data` is described per type and schemaVersion by <type>.v<schemaVersion>.json',
    ...rest,
  });
}

function readme(versions: readonly EventSchemaVersion[]): string {
  const byType = new Map<string, EventSchemaVersion[]>();
  for (const version of versions) {
    byType.set(version.type, [...(byType.get(version.type) ?? []), version]);
  }
  const lines = [...byType.entries()].map(([type, list]) => {
    const links = list.map(
      (v) => `[v${v.schemaVersion}](${schemaFileName(type, v.schemaVersion)})`,
    );
    const latest = list.find((v) => v.latest)?.schemaVersion;
    return `- \`${type}\`: ${links.join(', ')} (latest: v${latest ?? '?'})`;
  });
  return [
    '# Event schemas',
    '',
    'Generated from the event registry in `libs/events` by',
    '`npx tsx libs/events/scripts/generate-schemas.ts`: do not edit by hand.',
    '',
    'Each `<type>.v<n>.json` is the JSON Schema of the `data` of one event type and schema',
    'version. Published versions are frozen: to change an event, add version n+1 with an',
    'upcaster from version n. `--check` (run in CI) fails when a published file changes.',
    '',
    'Every event travels in the envelope described by [envelope.json](envelope.json):',
    '`eventId`, `type`, `schemaVersion`, `streamId`, `streamVersion`, `occurredAt`, `data` and',
    '`metadata` (`correlationId`, `causationId`, `actorId`).',
    '',
    '## Events',
    '',
    // A list with no item would leave a blank line that prettier removes (a format:check failure).
    ...(lines.length > 0 ? lines : ['No event is registered.']),
    '',
  ].join('\n');
}

/** Pure: renders the docs of every registered (type, version) in memory. */
export function generateSchemaDocs(versions: readonly EventSchemaVersion[]): SchemaDocs {
  const docs = new Map<string, string>();
  for (const version of versions) {
    docs.set(schemaFileName(version.type, version.schemaVersion), versionDoc(version));
  }
  docs.set('envelope.json', envelopeDoc());
  docs.set('README.md', readme(versions));
  return docs;
}
