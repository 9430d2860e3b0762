import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkOpenApi } from '../openapi/check-openapi';

/**
 * CI gate: `tsx apps/gateway/src/cli/openapi-check.cli.ts [--write docs/openapi.json]`.
 * Exits 1 when the gateway's OpenAPI document is invalid or drifts from its registered routes;
 * --write also saves the document (for client generators).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: 'string' } } });
  const { problems, document } = await checkOpenApi();
  if (values.write !== undefined) {
    writeFileSync(values.write, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`wrote ${values.write}\n`);
  }
  if (problems.length > 0) {
    process.stderr.write(`OpenAPI check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const operations = Object.values(document.paths ?? {}).reduce(
    (n, item) => n + Object.keys(item ?? {}).length,
    0,
  );
  process.stdout.write(`OpenAPI ${document.openapi}: valid, ${operations} operations, no drift\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `openapi-check failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
