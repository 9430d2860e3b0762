import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkOpenApi } from '../openapi/check-openapi';
import { httpCollection } from '../openapi/http-collection';

const FILE = path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'api.http');

/**
 * `pnpm http:check`: exits 1 when docs/api.http differs from what the gateway's OpenAPI document
 * renders; `pnpm http:write` (`--write`) renders it again.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: 'boolean' } } });
  const { document } = await checkOpenApi();
  const rendered = httpCollection(document);
  if (values.write) {
    writeFileSync(FILE, rendered);
    process.stdout.write(`wrote ${path.relative(process.cwd(), FILE)}\n`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(FILE, 'utf8');
  } catch {
    // a missing file is a drift like any other
  }
  if (current !== rendered) {
    process.stderr.write(
      `${path.relative(process.cwd(), FILE)} is not what the OpenAPI document renders: run pnpm http:write\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${path.relative(process.cwd(), FILE)} matches the OpenAPI document\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `http-collection failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
