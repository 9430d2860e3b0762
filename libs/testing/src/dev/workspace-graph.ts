import fs from 'node:fs';
import path from 'node:path';

/**
 * The workspace packages and who depends on whom, read from their package.json files: what
 * `pnpm dev` compiles (the apps of the service list and the workspace packages they need at run
 * time) and which services a change restarts.
 */
export interface WorkspacePackage {
  /** Package name (`@scope/x`). */
  name: string;
  /** Its folder, absolute. */
  dir: string;
  /** The workspace packages of its `dependencies` (what it loads at run time). */
  deps: string[];
}

/** The packages of apps/* and libs/* that carry a tsconfig.build.json. */
export function readWorkspace(root: string): WorkspacePackage[] {
  const packages: Array<{ name: string; dir: string; deps: string[] }> = [];
  for (const group of ['libs', 'apps']) {
    const groupDir = path.join(root, group);
    for (const entry of fs.existsSync(groupDir) ? fs.readdirSync(groupDir).sort() : []) {
      const dir = path.join(groupDir, entry);
      const manifest = path.join(dir, 'package.json');
      if (!fs.existsSync(manifest) || !fs.existsSync(path.join(dir, 'tsconfig.build.json')))
        continue;
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
      };
      const deps = Object.entries(pkg.dependencies ?? {})
        .filter(([, range]) => range.startsWith('workspace:'))
        .map(([name]) => name);
      packages.push({ name: pkg.name, dir, deps });
    }
  }
  return packages;
}

/** The packages `names` need at run time, themselves included, dependencies first. */
export function runtimeClosure(
  packages: readonly WorkspacePackage[],
  names: readonly string[],
): WorkspacePackage[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const ordered: WorkspacePackage[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, from: string): void => {
    const pkg = byName.get(name);
    if (!pkg)
      throw new Error(`DEV_UNKNOWN_PACKAGE: ${from} depends on ${name}, not in apps/ or libs/`);
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`DEV_DEPENDENCY_CYCLE: through ${name}`);
    state.set(name, 'visiting');
    for (const dep of pkg.deps) visit(dep, name);
    state.set(name, 'done');
    ordered.push(pkg);
  };
  for (const name of names) visit(name, 'the service list');
  return ordered;
}
