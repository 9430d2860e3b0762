import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The `importers:` section of pnpm-lock.yaml, written again from the workspace's package.json
 * files. A generator that adds, removes or renames workspace packages changes only which
 * packages depend on which: every external dependency it declares is one the lockfile resolves
 * already (the skeleton's packages use the accounts packages' specifiers). Writing the importers
 * here lets `pnpm install --offline` link the workspace with no registry metadata, which pnpm
 * would otherwise fetch to resolve a new package's ranges (CI machines may have neither the
 * metadata cache nor the registry).
 *
 * The format is pnpm's lockfile v9: importers sorted by path, sections in manifest order
 * (dependencies, devDependencies), names sorted, workspace packages as `link:` versions.
 */

type Manifest = {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

export type WorkspacePackage = { dir: string; manifest: Manifest };

const SECTIONS = ['dependencies', 'devDependencies'] as const;

/** The root package and every package.json under the workspace globs (`apps/*`, `libs/*`). */
export function readWorkspace(root: string, globs: string[]): WorkspacePackage[] {
  const dirs = globs.flatMap((glob) => {
    const parent = glob.replace(/\/\*$/, '');
    if (parent === glob || !existsSync(path.join(root, parent))) return [];
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .filter((dir) => existsSync(path.join(root, dir, 'package.json')));
  });
  return ['.', ...dirs].map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Manifest,
  }));
}

/** The `packages:` globs of pnpm-workspace.yaml (its simple list form). */
export function workspaceGlobs(workspaceYaml: string): string[] {
  const list = /^packages:\n((?:\s+- .*\n)+)/m.exec(workspaceYaml)?.[1] ?? '';
  return [...list.matchAll(/- ['"]?([^'"\n]+)['"]?/g)].map((match) => match[1]!.trim());
}

const IMPORTERS = /^importers:\n\n([\s\S]*?)\n(?=\S)/m;

const yamlKey = (name: string): string => (/^[a-z0-9]/.test(name) ? name : `'${name}'`);
const unquote = (key: string): string => key.replace(/^'(.*)'$/, '$1');

/** `name@specifier` -> resolved version, for every external dependency the importers hold. */
export function resolvedVersions(lock: string): Map<string, string> {
  const section = IMPORTERS.exec(lock)?.[1] ?? '';
  const versions = new Map<string, string>();
  const entry = /^ {6}(\S.*):\n {8}specifier: (.*)\n {8}version: (.*)$/gm;
  for (const [, key, specifier, version] of section.matchAll(entry)) {
    if (!version!.startsWith('link:')) versions.set(`${unquote(key!)}@${specifier}`, version!);
  }
  return versions;
}

/**
 * The lockfile with its importers written from `workspace`, or the names of the dependencies
 * the lockfile does not resolve yet (then only a real resolution, with the registry, will do).
 */
export function withImporters(
  lock: string,
  workspace: WorkspacePackage[],
): { lock: string } | { unresolved: string[] } {
  const current = IMPORTERS.exec(lock);
  if (!current) return { unresolved: ['(pnpm-lock.yaml has no importers section)'] };
  const versions = resolvedVersions(lock);
  const byName = new Map(workspace.map((pkg) => [pkg.manifest.name, pkg.dir]));
  const unresolved: string[] = [];
  const blocks = [...workspace]
    .sort((a, b) => (a.dir === '.' ? -1 : b.dir === '.' ? 1 : a.dir < b.dir ? -1 : 1))
    .map(({ dir, manifest }) => {
      for (const field of ['optionalDependencies', 'peerDependencies'] as const)
        if (Object.keys(manifest[field] ?? {}).length > 0) unresolved.push(`${dir}: ${field}`);
      const sections = SECTIONS.filter((s) => Object.keys(manifest[s] ?? {}).length > 0).map(
        (section) => {
          const lines = Object.entries(manifest[section]!)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([name, specifier]) => {
              const linked = specifier.startsWith('workspace:') ? byName.get(name) : undefined;
              const version = linked
                ? `link:${path.posix.relative(dir, linked) || '.'}`
                : versions.get(`${name}@${specifier}`);
              if (!version) unresolved.push(`${name}@${specifier}`);
              return `      ${yamlKey(name)}:\n        specifier: ${specifier}\n        version: ${version}`;
            });
          return `    ${section}:\n${lines.join('\n')}`;
        },
      );
      return `  ${dir}:${sections.length > 0 ? `\n${sections.join('\n')}` : ' {}'}\n`;
    });
  if (unresolved.length > 0) return { unresolved };
  return { lock: lock.replace(IMPORTERS, `importers:\n\n${blocks.join('\n')}\n`) };
}
