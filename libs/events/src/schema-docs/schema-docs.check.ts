import type { SchemaDocs } from './schema-docs.generator';

export const REGENERATE_COMMAND = 'npx tsx libs/events/scripts/generate-schemas.ts';

export type SchemaDocProblemKind =
  'missing' | 'stale' | 'extra' | 'published-version-changed' | 'published-version-removed';

export interface SchemaDocProblem {
  readonly kind: SchemaDocProblemKind;
  readonly file: string;
  readonly message: string;
  /** What the file should contain; undefined when it should not exist. */
  readonly expected: string | undefined;
}

const VERSION_FILE = /^(.+)\.v(\d+)\.json$/;

/** Published versions are the per-version schema files; README and envelope are plain docs. */
function publishedVersion(file: string): { type: string; version: number } | undefined {
  const match = VERSION_FILE.exec(file);
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined;
  return { type: match[1], version: Number(match[2]) };
}

/**
 * Compares freshly generated docs with what is on disk (committed), byte for byte. A changed or
 * removed version file is a breaking change for every consumer and for the stored events, so
 * it gets its own message: the fix is a new version, not a regeneration.
 */
export function checkSchemaDocs(generated: SchemaDocs, onDisk: SchemaDocs): SchemaDocProblem[] {
  const problems: SchemaDocProblem[] = [];
  const nextVersion = nextVersions(generated);
  for (const [file, expected] of [...generated].sort(([a], [b]) => a.localeCompare(b))) {
    const actual = onDisk.get(file);
    if (actual === expected) continue;
    const published = publishedVersion(file);
    if (actual === undefined) {
      const message = `${file} is missing: generated docs are stale: run ${REGENERATE_COMMAND}`;
      problems.push({ kind: 'missing', file, message, expected });
    } else if (published !== undefined) {
      const { type, version } = published;
      const message =
        `schema of published version ${type} v${version} changed (${file}): published versions ` +
        `are frozen, add version ${nextVersion(type)} (with an upcaster) and restore v${version}`;
      problems.push({ kind: 'published-version-changed', file, message, expected });
    } else {
      const message = `${file} is out of date: generated docs are stale: run ${REGENERATE_COMMAND}`;
      problems.push({ kind: 'stale', file, message, expected });
    }
  }
  for (const file of [...onDisk.keys()].sort((a, b) => a.localeCompare(b))) {
    if (generated.has(file)) continue;
    const published = publishedVersion(file);
    if (published !== undefined) {
      const message =
        `published version ${published.type} v${published.version} is no longer registered ` +
        `(${file}): keep its schema and upcaster so stored events stay readable`;
      problems.push({ kind: 'published-version-removed', file, message, expected: undefined });
    } else {
      const message = `${file} is not generated any more: run ${REGENERATE_COMMAND}`;
      problems.push({ kind: 'extra', file, message, expected: undefined });
    }
  }
  return problems;
}

/** The version a developer should add next per type: one above the latest generated. */
function nextVersions(generated: SchemaDocs): (type: string) => number {
  const latest = new Map<string, number>();
  for (const file of generated.keys()) {
    const published = publishedVersion(file);
    if (published === undefined) continue;
    latest.set(published.type, Math.max(latest.get(published.type) ?? 0, published.version));
  }
  return (type) => (latest.get(type) ?? 0) + 1;
}

export const isBreakingProblem = (problem: SchemaDocProblem): boolean =>
  problem.kind === 'published-version-changed' || problem.kind === 'published-version-removed';

export interface SchemaDocsWritePlan {
  readonly writes: ReadonlyMap<string, string>;
  readonly deletes: readonly string[];
  /** Breaking changes the generator refuses to write (unless forced). */
  readonly refused: readonly SchemaDocProblem[];
}

/**
 * What `generate` should do. It refuses to overwrite a published version by default, otherwise
 * a developer could silently "fix" the check by regenerating after a breaking change.
 */
export function planSchemaDocsWrite(
  problems: readonly SchemaDocProblem[],
  options: { readonly allowBreaking: boolean },
): SchemaDocsWritePlan {
  const writes = new Map<string, string>();
  const deletes: string[] = [];
  const refused: SchemaDocProblem[] = [];
  for (const problem of problems) {
    if (isBreakingProblem(problem) && !options.allowBreaking) {
      refused.push(problem);
    } else if (problem.expected === undefined) {
      deletes.push(problem.file);
    } else {
      writes.set(problem.file, problem.expected);
    }
  }
  return { writes, deletes, refused };
}
