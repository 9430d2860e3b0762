import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The read side (this lib and every package built on it) agrees with the write side only
 * through the event schemas and their Kafka message format (the events lib). Depending on the
 * event store would tie a projector's deploys and tests to the command side's persistence.
 */
const root = join(__dirname, '..', '..', '..');

interface WorkspacePackage {
  name: string;
  dir: string;
  workspaceDeps: string[];
}

function workspacePackages(): WorkspacePackage[] {
  return ['apps', 'libs'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => {
        const dir = join(root, group, entry.name);
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name: string;
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
        };
        const deps = { ...manifest.dependencies, ...manifest.devDependencies };
        return {
          name: manifest.name,
          dir,
          workspaceDeps: Object.keys(deps).filter((d) => deps[d]?.startsWith('workspace:')),
        };
      }),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|cjs|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const packages = workspacePackages();
const byName = new Map(packages.map((p) => [p.name, p]));
const nameOf = (dir: string): string => {
  const found = packages.find((p) => p.dir === join(root, dir));
  if (!found) throw new Error(`no workspace package in ${dir}`);
  return found.name;
};
const writeSide = nameOf('libs/event-store');
const runtime = nameOf('libs/projections');

/** Workspace packages reachable through dependencies and devDependencies. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  for (const dep of byName.get(name)?.workspaceDeps ?? []) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    closure(dep, seen);
  }
  return seen;
}

const readSide = packages.filter((p) => p.name === runtime || p.workspaceDeps.includes(runtime));

describe('the read side does not depend on the write side', () => {
  it('given the workspace, when finding the read side, then the projection runtime has users', () => {
    expect(readSide.length).toBeGreaterThan(1);
  });

  it.each(readSide.map((p) => [p.name, p] as const))(
    'given %s, when following its workspace dependencies, then the event store is not among them',
    (_name, pkg) => {
      expect([...closure(pkg.name)]).not.toContain(writeSide);
    },
  );

  it.each(readSide.map((p) => [p.name, p] as const))(
    'given %s, when reading its sources, tests and benchmarks, then none imports the event store',
    (_name, pkg) => {
      const specifier = new RegExp(`['"\`]${writeSide.replace('/', '\\/')}(/[^'"\`]*)?['"\`]`);
      const offenders = sourceFiles(pkg.dir)
        .filter((file) => specifier.test(readFileSync(file, 'utf8')))
        .map((file) => relative(root, file));
      expect(offenders).toEqual([]);
    },
  );
});
