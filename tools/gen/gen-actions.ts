import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The building blocks of the generators' action lists (plopfile.ts, part-generators.ts). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** One plop action: does its work, returns the line plop prints. */
export type Action = () => string;

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** One action that fails with `message`: how a refused name stops plop (exit code 1). */
export const refuse = (message: string): Action[] => [
  () => {
    throw new Error(message);
  },
];

/** Writes a new file (never over an existing one), its folders too. */
export const writeNew =
  (relative: string, text: () => string): Action =>
  () => {
    const to = path.join(ROOT, relative);
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, text(), { flag: 'wx' });
    return `wrote ${relative}`;
  };

/** Edits a file in place with a pure function of its text. */
export const editText =
  (relative: string, edit: (text: string) => string): Action =>
  () => {
    const file = path.join(ROOT, relative);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return `edited ${relative}`;
  };

/**
 * `pnpm -s gen` exports npm_config_loglevel=silent, which would silence a child pnpm's errors
 * too; a child runs without it, its output captured and shown only when it fails.
 */
const { npm_config_loglevel: _silenced, ...CHILD_ENV } = process.env;

export function spawnOrThrow(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: CHILD_ENV });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

export const run =
  (what: string, command: string, args: string[]): Action =>
  () => {
    spawnOrThrow(command, args);
    return `ran ${command} ${args.join(' ')} (${what})`;
  };

/** Prettier over the files a generator wrote or edited. */
export const formatFiles = (files: string[]): Action =>
  run('formats what was written', 'pnpm', [
    'exec',
    'prettier',
    '--write',
    '--log-level=warn',
    '--ignore-unknown',
    ...files,
  ]);
