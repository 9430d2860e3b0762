import fs from 'node:fs';
import path from 'node:path';
import type { DevPlan, DevService } from './dev-plan';
import type { WorkspacePackage } from './workspace-graph';

/** A line of `pnpm dev`'s JSON output, as far as the check reads it. */
export interface DevEvent {
  service: string;
  msg: string;
  event?: string;
  target?: string;
  pid?: number;
  changeToReadyMs?: number;
}

/** One in-place edit of a source file and the services it must restart. */
export interface Edit {
  file: string;
  original: string;
  /** A statement appended at the end: new JavaScript, same types. */
  edited: string;
  affected: DevService[];
}

const servicesLoading = (plan: DevPlan, pkg: WorkspacePackage): DevService[] =>
  plan.services.filter((s) => s.loads.has(pkg.name));

/**
 * What the check edits, chosen from the plan so that a restart of too much shows: the app that
 * the fewest services run (its main.ts) and the lib that the fewest services load (its
 * index.ts), each so that at least one service must keep its process; then the lib that the
 * most services load, for the time of restarting many at once.
 */
export function pickEditTargets(plan: DevPlan): Array<{ owner: WorkspacePackage; file: string }> {
  const ranked = (candidates: WorkspacePackage[], all: boolean): WorkspacePackage[] =>
    candidates
      .map((pkg) => ({ pkg, count: servicesLoading(plan, pkg).length }))
      .filter(({ count }) => count > 0 && (all || count < plan.services.length))
      .sort((a, b) => a.count - b.count || a.pkg.name.localeCompare(b.pkg.name))
      .map(({ pkg }) => pkg);
  const fewest = (candidates: WorkspacePackage[]): WorkspacePackage | undefined =>
    ranked(candidates, false)[0];
  const apps = [...new Set(plan.services.map((s) => s.app))];
  const libs = plan.packages.filter((p) => !apps.includes(p));
  const app = fewest(apps);
  const lib = fewest(libs);
  const widest = ranked(libs, true).at(-1);
  const entry = (pkg: WorkspacePackage): string => path.join(pkg.dir, 'src', 'index.ts');
  return [
    ...(app ? [{ owner: app, file: path.join(app.dir, 'src', 'main.ts') }] : []),
    ...(lib ? [{ owner: lib, file: entry(lib) }] : []),
    ...(widest && widest !== lib ? [{ owner: widest, file: entry(widest) }] : []),
  ];
}

export function edits(plan: DevPlan): Array<{ owner: WorkspacePackage; edit: Edit }> {
  return pickEditTargets(plan).map(({ owner, file }) => {
    const original = fs.readFileSync(file, 'utf8');
    return {
      owner,
      edit: {
        file,
        original,
        edited: `${original}\nvoid 'dev:check ${Date.now()}';\n`,
        affected: servicesLoading(plan, owner),
      },
    };
  });
}
