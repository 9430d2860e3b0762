import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnyContext } from '@cqrs/context';
import { registeredContexts } from '../contexts';

/**
 * The gateway is generic: contexts.ts registers descriptors and nothing else in its source may
 * import a domain lib or name a context. Words are taken from the registered descriptors
 * themselves (names, ids, operations, commands, schemas and their camelCase parts), so a
 * context added later is held to the rule without touching this test.
 */
const SRC = path.resolve(__dirname, '..');
const REGISTRATION = path.join(SRC, 'contexts.ts');

/** camelCase parts that are ordinary English in any API, not a context's vocabulary. */
const GENERIC = new Set(['open', 'close', 'list', 'get', 'page', 'create', 'update', 'delete']);

const splitCamel = (word: string): string[] =>
  word.split(/(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+/).map((part) => part.toLowerCase());

function contextWords(contexts: readonly AnyContext[]): string[] {
  const words = contexts.flatMap((context) => [
    context.name,
    context.aggregate.name,
    context.aggregate.idParam,
    ...context.commands.flatMap((command) => [command.operationId, command.name]),
    ...context.queries.map((query) => query.operationId),
    ...Object.keys(context.schemas),
  ]);
  const parts = words.flatMap(splitCamel).filter((part) => part.length >= 4 && !GENERIC.has(part));
  return [...new Set([...words, ...parts].map((word) => word.toLowerCase()))].sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return file !== REGISTRATION && !entry.name.endsWith('.spec.ts') ? [file] : [];
  });
}

/** `file:line: word` for every mention of a context word or import of a domain lib. */
function contextMentions(
  root: string,
  files: readonly string[],
  words: readonly string[],
): string[] {
  const found: string[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const where = `${path.relative(root, file)}:${i + 1}`;
      const lower = line.toLowerCase();
      for (const word of words) if (lower.includes(word)) found.push(`${where}: ${word}`);
      if (/['"]@[\w-]+\/[\w-]+-domain['"]/.test(line)) found.push(`${where}: imports a domain lib`);
    });
  }
  return found;
}

describe('the gateway source', () => {
  const words = contextWords(registeredContexts);

  it('takes its words from the registered descriptors (names, ids, operations, schemas)', () => {
    expect(registeredContexts.length).toBeGreaterThan(0);
    for (const context of registeredContexts) {
      expect(words).toContain(context.name);
      expect(words).toContain(context.aggregate.idParam.toLowerCase());
    }
  });

  it('names no registered context and imports no domain lib outside contexts.ts', () => {
    expect(contextMentions(SRC, sourceFiles(SRC), words)).toEqual([]);
  });

  it('would catch a file that does (the scan can fail)', () => {
    const context = registeredContexts[0];
    if (!context) throw new Error('no context registered');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-scan-'));
    const file = path.join(dir, 'leak.ts');
    fs.writeFileSync(
      file,
      `import { x } from '@cqrs/${context.name}-domain';\nconst id = ':${context.aggregate.idParam}';\n`,
    );
    try {
      expect(contextMentions(dir, [file], words)).toEqual(
        expect.arrayContaining([
          'leak.ts:1: imports a domain lib',
          `leak.ts:2: ${context.aggregate.idParam.toLowerCase()}`,
        ]),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
