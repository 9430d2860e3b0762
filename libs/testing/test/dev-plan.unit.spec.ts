import path from 'node:path';
import type { ServiceDefinition } from '../src/services/service-list';
import { devPlan, packagesToCompile, servicesToRestart } from '../src/dev/dev-plan';
import { pickEditTargets } from '../src/dev/dev-check-edits';
import { runtimeClosure, type WorkspacePackage } from '../src/dev/workspace-graph';

/**
 * A workspace of two contexts' apps over shared libs: the plan must restart exactly the services
 * that load a changed package, at any depth, and compile dependencies before dependents.
 */
const ROOT = '/repo';
const pkg = (group: string, name: string, deps: string[]): WorkspacePackage => ({
  name: `@x/${name}`,
  dir: path.join(ROOT, group, name),
  deps: deps.map((d) => `@x/${d}`),
});
const workspace = [
  pkg('libs', 'schema', []),
  pkg('libs', 'plumbing', ['schema']),
  pkg('libs', 'writer', ['plumbing']),
  pkg('libs', 'reader', ['plumbing']),
  pkg('libs', 'unused', []),
  pkg('apps', 'alpha-write', ['writer']),
  pkg('apps', 'alpha-read', ['reader']),
  pkg('apps', 'front', ['plumbing']),
];
const service = (name: string, app: string): ServiceDefinition => ({
  name,
  app,
  role: 'command',
  portEnv: 'PORT',
  healthPath: '/ready',
  localPort: 1,
  requiredEnv: [],
});
const services = [
  service('alpha-write', 'alpha-write'),
  service('alpha-projector', 'alpha-read'),
  service('alpha-query', 'alpha-read'),
  service('front', 'front'),
];
const plan = devPlan(ROOT, services, workspace, 9300);
const names = (list: ReadonlyArray<{ service: ServiceDefinition }>): string[] =>
  list.map((s) => s.service.name);

describe('dev plan', () => {
  it('gives each service a debugger port: the base plus its index in the list', () => {
    expect(plan.services.map((s) => s.inspectPort)).toEqual([9300, 9301, 9302, 9303]);
  });

  it('compiles what the apps load, dependencies first, and nothing else', () => {
    const order = plan.packages.map((p) => p.name);
    expect(order).not.toContain('@x/unused');
    expect(order.indexOf('@x/schema')).toBeLessThan(order.indexOf('@x/plumbing'));
    expect(order.indexOf('@x/plumbing')).toBeLessThan(order.indexOf('@x/writer'));
    expect(order.indexOf('@x/writer')).toBeLessThan(order.indexOf('@x/alpha-write'));
  });

  it('recompiles a changed lib and its dependents, not its siblings', () => {
    const compiled = packagesToCompile(plan, new Set(['@x/writer'])).map((p) => p.name);
    expect(compiled).toEqual(['@x/writer', '@x/alpha-write']);
  });

  it('restarts the services of a changed app only', () => {
    expect(names(servicesToRestart(plan, new Set(['@x/alpha-read'])))).toEqual([
      'alpha-projector',
      'alpha-query',
    ]);
  });

  it('restarts every service that loads a changed lib, at any depth', () => {
    expect(names(servicesToRestart(plan, new Set(['@x/writer'])))).toEqual(['alpha-write']);
    expect(names(servicesToRestart(plan, new Set(['@x/schema'])))).toEqual(names(plan.services));
  });

  it('restarts nothing when no run-time output changed', () => {
    expect(servicesToRestart(plan, new Set())).toEqual([]);
  });

  it('fails with a code when the list names an app that is no package', () => {
    expect(() => devPlan(ROOT, [service('ghost', 'ghost')], workspace)).toThrow(/DEV_UNKNOWN_APP/);
  });

  it('fails with a code on a dependency cycle', () => {
    const cyclic = [pkg('libs', 'a', ['b']), pkg('libs', 'b', ['a'])];
    expect(() => runtimeClosure(cyclic, ['@x/a'])).toThrow(/DEV_DEPENDENCY_CYCLE/);
  });
});

describe('dev:check edit targets', () => {
  it('edits an app and a lib whose services leave another service running, then the widest lib', () => {
    const targets = pickEditTargets(plan).map((t) => path.relative(ROOT, t.file));
    expect(targets).toEqual([
      'apps/alpha-write/src/main.ts',
      'libs/writer/src/index.ts',
      'libs/schema/src/index.ts',
    ]);
  });
});
