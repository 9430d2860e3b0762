import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { refuse, ROOT, spawnOrThrow, type Action } from './gen-actions';
import { readWorkspace, withImporters, workspaceGlobs } from './lockfile-importers';
import {
  currentNames,
  namesForScope,
  renameSummary,
  renameText,
  scopeRefusal,
  type ProjectNames,
} from './rename-scope';

/**
 * The file work of `pnpm gen rename-scope` (the decisions are rename-scope.ts's): read the
 * current names, rewrite every file of the checkout, link the workspace again, format.
 */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git', '.infra']);

function walk(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : walk(root, relative);
    return entry.isFile() ? [relative] : [];
  });
}

/**
 * The checkout's files: tracked and untracked-but-not-ignored when it is a git repository (jars,
 * builds and .env stay untouched), otherwise every file outside the build and install folders.
 */
function checkoutFiles(): string[] {
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (listed.status === 0) return listed.stdout.split('\0').filter((file) => file !== '');
  return walk(ROOT);
}

const readText = (file: string): string | undefined => {
  try {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined; // deleted but still in the index: nothing to rename
  }
};

/** The names the checkout uses now, read from the root and workspace package.json files. */
function namesOf(files: readonly string[]): ProjectNames | { refusal: string } {
  // A package deleted but still in git's index (a context just removed) has no name to read.
  const packageNames = files
    .filter((file) => /^(apps|libs)\/[^/]+\/package\.json$/.test(file))
    .flatMap((file) => {
      const text = readText(file);
      return text === undefined ? [] : [(JSON.parse(text) as { name?: string }).name ?? file];
    });
  return currentNames({
    rootPackageJson: readText('package.json') ?? '{}',
    packageNames,
    topicsSource: readText('libs/events/src/topics/topics.ts') ?? '',
  });
}

/** Why the checkout cannot take `scope`, or undefined: the prompt's validation. */
export function renameRefusal(scope: string): string | undefined {
  const current = namesOf(checkoutFiles());
  return 'refusal' in current ? current.refusal : scopeRefusal(scope, current);
}

/**
 * The lockfile is renamed with the rest (its workspace dependency keys carry the scope), so it
 * still matches every package.json and pnpm only links: no registry, no metadata cache. Its
 * order is pnpm's again once the importers are written from the renamed package.json files
 * (lockfile-importers.ts): pnpm sorts dependencies by name, and a new scope sorts elsewhere. A
 * store that lacks a package (installed elsewhere) falls back to fetching it, still frozen.
 */
function linkWorkspace(): string {
  const lockFile = path.join(ROOT, 'pnpm-lock.yaml');
  const globs = workspaceGlobs(readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8'));
  const written = withImporters(readFileSync(lockFile, 'utf8'), readWorkspace(ROOT, globs));
  if (!('lock' in written))
    throw new Error(`the renamed lockfile does not resolve ${written.unresolved.join(', ')}`);
  writeFileSync(lockFile, written.lock);
  try {
    spawnOrThrow('pnpm', ['install', '--offline', '--frozen-lockfile']);
    return 'linked the workspace (pnpm install --offline --frozen-lockfile)';
  } catch (offline) {
    try {
      spawnOrThrow('pnpm', ['install', '--prefer-offline', '--frozen-lockfile']);
    } catch (online) {
      throw new Error(`${(offline as Error).message}\n${(online as Error).message}`);
    }
    return 'linked the workspace (pnpm install --prefer-offline: the store lacked a package)';
  }
}

const PRETTIER = ['exec', 'prettier', '--write', '--log-level=warn', '--ignore-unknown'];

/** The actions of `pnpm gen rename-scope <scope>`: one refusal, or the rename. */
export function renameScopeActions(scope: string): Action[] {
  const files = checkoutFiles();
  const from = namesOf(files);
  if ('refusal' in from) return refuse(from.refusal);
  const refused = scopeRefusal(scope, from);
  if (refused) return refuse(refused);
  const to = namesForScope(scope);
  // Every new text is computed before the first write, so a failure leaves the files as they were.
  const changed = files.flatMap((file) => {
    const text = readText(file);
    const renamed = text === undefined ? text : renameText(text, from, to);
    return text === renamed || renamed === undefined ? [] : [{ file, renamed }];
  });
  return [
    () => {
      for (const { file, renamed } of changed) writeFileSync(path.join(ROOT, file), renamed);
      return `renamed in ${changed.length} files: ${renameSummary(from, to).join('; ')}`;
    },
    linkWorkspace,
    () => {
      // A longer or shorter scope moves line ends: prettier wraps the changed files again.
      spawnOrThrow('pnpm', [...PRETTIER, ...changed.map(({ file }) => file)]);
      return `formatted the ${changed.length} renamed files (prettier)`;
    },
  ];
}
