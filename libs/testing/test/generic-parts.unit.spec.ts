import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The platform is generic: the gateway and the plumbing libs name no bounded context. Adding or
 * deleting a context must not touch them (except the gateway's one registration file), so this
 * test derives every context's names from the descriptors (`libs/<lib>/src/**\/*.context.ts`) and
 * fails if one of them appears as a word in the generic sources. Imports are covered by the
 * dependency rule `generic-part-imports-context` (pnpm deps:check).
 */
const root = join(__dirname, '../../..');

const GENERIC_SOURCES = [
  'apps/gateway/src',
  'libs/platform/src',
  'libs/event-store/src',
  'libs/projections/src',
  'libs/testing/src',
  'libs/context/src',
  'libs/command-service/src',
  'libs/projector-service/src',
  'libs/process-manager/src',
];

/** Where the gateway registers the descriptors it serves: the one place that names them. */
const REGISTRATION_FILES = new Set(['apps/gateway/src/contexts.ts']);

/** Words the generic sources use in their own sense (SQL, Kafka, event sourcing). */
const PLATFORM_WORDS = new Set([
  'order',
  'orders',
  'event',
  'events',
  'stream',
  'streams',
  'message',
  'messages',
  'record',
  'records',
  'batch',
  'batches',
  'entry',
  'entries',
  'key',
  'keys',
  'transaction',
  'transactions',
  'projection',
  'projections',
  'command',
  'commands',
  'query',
  'queries',
]);

interface DescriptorNames {
  name: string;
  aggregate: { name: string; idParam: string };
  commands: readonly { operationId: string; name: string }[];
  queries: readonly { operationId: string }[];
  schemas?: Record<string, unknown>;
}

const isDescriptor = (value: unknown): value is DescriptorNames =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DescriptorNames).name === 'string' &&
  typeof (value as DescriptorNames).aggregate === 'object' &&
  Array.isArray((value as DescriptorNames).commands);

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    return statSync(path).isDirectory() ? filesUnder(path, keep) : keep(path) ? [path] : [];
  });
}

/** Splits identifiers into lower-case words: `depositMoney` -> deposit, money. */
const wordsOf = (text: string): string[] =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Each name as a sequence of words; a context's own nouns are single words. */
function forbiddenPhrases(descriptor: DescriptorNames): string[][] {
  const names = [
    descriptor.name,
    descriptor.aggregate.name,
    descriptor.aggregate.idParam,
    ...descriptor.commands.flatMap((c) => [c.operationId, c.name]),
    ...descriptor.queries.map((q) => q.operationId),
    ...Object.keys(descriptor.schemas ?? {}),
  ];
  // A one-word name (a schema called `Transaction`) is an ordinary word; the context's own
  // nouns are not: `account`, `accounts`, singular and plural. A noun the platform itself
  // speaks (`order` in ORDER BY and "in order") is held to its multi-word names only
  // (`order id`, `place order`).
  const phrases = names.map(wordsOf).filter((words) => words.length > 1);
  for (const noun of [descriptor.name, descriptor.aggregate.name]) {
    const forms = [noun, noun.endsWith('s') ? noun.slice(0, -1) : `${noun}s`];
    for (const form of forms) if (!PLATFORM_WORDS.has(form)) phrases.push([form]);
  }
  const unique = new Map(phrases.map((p) => [p.join(' '), p]));
  return [...unique.values()];
}

const containsPhrase = (words: readonly string[], phrase: readonly string[]): boolean =>
  words.some((_, i) => phrase.every((w, j) => words[i + j] === w));

const descriptors: DescriptorNames[] = filesUnder(join(root, 'libs'), (p) =>
  /\/src\/.*\.context\.ts$/.test(p),
).flatMap((file) =>
  // Synchronous on purpose: the descriptors name the test cases, collected before any hook runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  Object.values(require(file) as Record<string, unknown>).filter(isDescriptor),
);

describe('generic parts name no bounded context', () => {
  it('finds the descriptor of every context lib (libs/<context>-domain)', () => {
    const contextLibs = readdirSync(join(root, 'libs'))
      .filter((lib) => lib.endsWith('-domain'))
      .map((lib) => lib.slice(0, -'-domain'.length));
    expect(descriptors.map((d) => d.name).sort()).toEqual(contextLibs.sort());
  });

  const sources = GENERIC_SOURCES.flatMap((dir) =>
    filesUnder(join(root, dir), (p) => p.endsWith('.ts') && !p.endsWith('.spec.ts')),
  )
    .map((path) => relative(root, path))
    .filter((path) => !REGISTRATION_FILES.has(path));

  it('scans the generic sources', () => {
    expect(sources.length).toBeGreaterThan(50);
  });

  // With every context removed there is nothing to name (and it.each refuses an empty table).
  if (descriptors.length > 0)
    it.each(descriptors.map((d) => [d.name, d] as const))(
      'no generic source names the %s context',
      (_name, descriptor) => {
        const phrases = forbiddenPhrases(descriptor);
        const offenders = sources.flatMap((path) => {
          const words = wordsOf(readFileSync(join(root, path), 'utf8'));
          const found = phrases.filter((p) => containsPhrase(words, p)).map((p) => p.join(' '));
          return found.length > 0 ? [`${path}: ${found.join(', ')}`] : [];
        });
        expect(offenders).toEqual([]);
      },
    );
});
