import path from 'node:path';
import type { ServiceDefinition } from '../services/service-list';
import { runtimeClosure, type WorkspacePackage } from './workspace-graph';

/** A service of the list as `pnpm dev` runs it. */
export interface DevService {
  service: ServiceDefinition;
  /** The workspace package of its app folder. */
  app: WorkspacePackage;
  /** Its packages at run time (its app and every workspace dependency, of any depth). */
  loads: ReadonlySet<string>;
  /** Where its debugger listens: the base port plus its index in the service list. */
  inspectPort: number;
}

export interface DevPlan {
  services: DevService[];
  /** What dev mode compiles, dependencies first. */
  packages: WorkspacePackage[];
}

/** Debuggers listen on 9229 (Node's default) + the service's index, unless DEV_INSPECT_BASE says. */
export const DEFAULT_INSPECT_BASE = 9229;

/**
 * Which packages to compile and watch and what each service loads, from the service list and
 * the workspace's package.json files alone: the list names apps, never the code of this file.
 */
export function devPlan(
  root: string,
  services: readonly ServiceDefinition[],
  workspace: readonly WorkspacePackage[],
  inspectBase = DEFAULT_INSPECT_BASE,
): DevPlan {
  const planned = services.map((service, index): DevService => {
    const dir = path.join(root, 'apps', service.app);
    const app = workspace.find((p) => p.dir === dir);
    if (!app)
      throw new Error(`DEV_UNKNOWN_APP: ${service.name} runs apps/${service.app}, not a package`);
    const loads = new Set(runtimeClosure(workspace, [app.name]).map((p) => p.name));
    return { service, app, loads, inspectPort: inspectBase + index };
  });
  const apps = [...new Set(planned.map((s) => s.app.name))];
  return { services: planned, packages: runtimeClosure(workspace, apps) };
}

/** The packages to compile after `changed` did: those and their dependents, in build order. */
export function packagesToCompile(plan: DevPlan, changed: ReadonlySet<string>): WorkspacePackage[] {
  const dependsOnChange = (pkg: WorkspacePackage): boolean =>
    changed.has(pkg.name) ||
    runtimeClosure(plan.packages, [pkg.name]).some((dep) => changed.has(dep.name));
  return plan.packages.filter(dependsOnChange);
}

/** The services that load a package whose run-time output changed. */
export function servicesToRestart(plan: DevPlan, emitted: ReadonlySet<string>): DevService[] {
  return plan.services.filter((s) => [...emitted].some((name) => s.loads.has(name)));
}
