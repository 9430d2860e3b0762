import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  readWorkspace,
  resolvedVersions,
  withImporters,
  workspaceGlobs,
  type WorkspacePackage,
} from './lockfile-importers';

const ROOT = path.resolve(__dirname, '..', '..');
const lock = readFileSync(path.join(ROOT, 'pnpm-lock.yaml'), 'utf8');
const workspace = readWorkspace(
  ROOT,
  workspaceGlobs(readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8')),
);

const written = (packages: WorkspacePackage[]): string => {
  const result = withImporters(lock, packages);
  if (!('lock' in result)) throw new Error(`unresolved: ${result.unresolved.join(', ')}`);
  return result.lock;
};

const importer = (text: string, dir: string): string | undefined =>
  new RegExp(`^  ${dir}:\\n((?: {4}.*\\n)*)`, 'm').exec(text)?.[1];

describe('lockfile importers written from the package.json files', () => {
  it("reproduces the repository's own pnpm-lock.yaml byte for byte (pnpm's format)", () => {
    expect(workspace.length).toBeGreaterThan(5);
    expect(written(workspace)).toBe(lock);
  });

  it('adds a new package: workspace dependencies as links, the others as the lockfile resolves them', () => {
    const pg = [...resolvedVersions(lock)].find(([key]) => key.startsWith('pg@'));
    expect(pg).toBeDefined();
    const [pgKey, pgVersion] = pg!;
    const added: WorkspacePackage = {
      dir: 'apps/parcels-command',
      manifest: {
        name: '@cqrs/parcels-command',
        dependencies: { '@cqrs/platform': 'workspace:*' },
        devDependencies: { pg: pgKey.slice('pg@'.length) },
      },
    };
    const text = written([...workspace, added]);
    expect(importer(text, 'apps/parcels-command')).toBe(
      [
        '    dependencies:',
        "      '@cqrs/platform':",
        '        specifier: workspace:*',
        '        version: link:../../libs/platform',
        '    devDependencies:',
        '      pg:',
        `        specifier: ${pgKey.slice('pg@'.length)}`,
        `        version: ${pgVersion}`,
        '',
      ].join('\n'),
    );
    // Importers stay sorted by path, and the rest of the lockfile is untouched.
    const at = (dir: string): number => text.indexOf(`\n  ${dir}:\n`);
    expect(at('apps/gateway')).toBeGreaterThan(0);
    expect(at('apps/parcels-command')).toBeGreaterThan(at('apps/gateway'));
    expect(at('libs/command-service')).toBeGreaterThan(at('apps/parcels-command'));
    expect(text.replace(/\n {2}apps\/parcels-command:\n(?: {4}.*\n)*\n/, '\n')).toBe(lock);
  });

  it('drops the importer of a removed package', () => {
    const [first, ...rest] = workspace.filter((pkg) => pkg.dir !== '.');
    const text = written([workspace.find((pkg) => pkg.dir === '.')!, ...rest]);
    expect(importer(text, first!.dir)).toBeUndefined();
    expect(importer(lock, first!.dir)).toBeDefined();
  });

  it('names what the lockfile does not resolve yet, and writes nothing', () => {
    const result = withImporters(lock, [
      ...workspace,
      {
        dir: 'libs/parcels-domain',
        manifest: { name: '@cqrs/parcels-domain', dependencies: { 'left-pad': '^1.3.0' } },
      },
    ]);
    expect(result).toEqual({ unresolved: ['left-pad@^1.3.0'] });
  });
});
