/**
 * Writes the JSON Schema of every registered event version to docs/events, or checks them.
 *
 *   npx tsx libs/events/scripts/generate-schemas.ts            write missing/stale files
 *   npx tsx libs/events/scripts/generate-schemas.ts --check    exit 1 on any difference (CI)
 *   ... --allow-breaking   let generate overwrite/remove published version files (pre-release)
 *   ... --out <dir>        another output folder (default: <repo>/docs/events)
 *
 * The logic is in src/schema-docs (pure, unit-tested); this file only does the I/O.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  accountEventRegistry,
  transferEventRegistry,
  checkSchemaDocs,
  generateSchemaDocs,
  planSchemaDocsWrite,
  type EventSchemaVersion,
} from '../src';

// Every bounded context's registry goes here; one docs folder documents them all.
const registries: readonly { schemaVersions(): readonly EventSchemaVersion[] }[] = [
  accountEventRegistry,
  transferEventRegistry,
];

function argValue(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function readDocs(dir: string): Map<string, string> {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return new Map();
  }
  return new Map(
    files
      .filter((file) => file.endsWith('.json') || file.endsWith('.md'))
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

function main(args: readonly string[]): number {
  const outDir = resolve(
    argValue(args, '--out') ?? join(__dirname, '..', '..', '..', 'docs', 'events'),
  );
  const generated = generateSchemaDocs(registries.flatMap((registry) => registry.schemaVersions()));
  const problems = checkSchemaDocs(generated, readDocs(outDir));

  if (args.includes('--check')) {
    for (const problem of problems) console.error(`✗ ${problem.message}`);
    if (problems.length === 0)
      console.log(`✓ ${generated.size} event docs in ${outDir} are up to date`);
    return problems.length === 0 ? 0 : 1;
  }

  const plan = planSchemaDocsWrite(problems, { allowBreaking: args.includes('--allow-breaking') });
  mkdirSync(outDir, { recursive: true });
  for (const [file, content] of plan.writes) writeFileSync(join(outDir, file), content);
  for (const file of plan.deletes) rmSync(join(outDir, file));
  for (const problem of plan.refused) console.error(`✗ ${problem.message}`);
  console.log(`wrote ${plan.writes.size}, removed ${plan.deletes.length} file(s) in ${outDir}`);
  return plan.refused.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
