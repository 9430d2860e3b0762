import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NodePlopAPI } from 'plop';
import {
  contextNames,
  invalidContextName,
  renameSkeleton,
  type ContextNames,
} from './context-names';
import {
  addComposeServices,
  addEnvPasswords,
  addEventExports,
  addGatewayContext,
  addGatewayDependency,
  addSchemaRegistry,
  addStackServices,
  firstFreeLocalPort,
  removeComposeServices,
  removeEnvPasswords,
  removeEventExports,
  removeGatewayContext,
  removeGatewayDependency,
  removeRootScripts,
  removeSchemaRegistry,
  removeStackServices,
} from './context-wiring';
import { filesUnder, refuse, ROOT, run, spawnOrThrow, type Action } from './gen-actions';
import { readWorkspace, withImporters, workspaceGlobs } from './lockfile-importers';
import { addK8sContext, K8S_OVERLAYS, removeK8sContext, type K8sOverlay } from './k8s-wiring';
import { registerPartGenerators } from './part-generators';
import { renameRefusal, renameScopeActions } from './rename-scope-actions';

/**
 * `pnpm gen context <name>`: a new bounded context, working at once. Its files are the skeleton
 * (tools/gen/skeleton, the `samples` context written as real TypeScript, and its Kubernetes
 * component under deploy/k8s/contexts) copied with its names replaced; the shared files that list
 * contexts are edited (context-wiring.ts, k8s-wiring.ts for the overlays); then the
 * workspace links the new packages, and the event and API documents are generated again.
 * `pnpm gen:check` generates a context in a copy of the repository and runs its checks and
 * tests, so the skeleton cannot rot.
 */
const SKELETON_DIR = path.join(__dirname, 'skeleton');

/** Where the context would live: any of these existing means the name is taken. */
const homesOf = (n: ContextNames): string[] => [
  `libs/${n.plural}-domain`,
  `libs/events/src/${n.plural}`,
  `apps/${n.plural}-command`,
  `apps/${n.plural}-projector`,
  `deploy/k8s/contexts/${n.plural}`,
];

function refusal(name: string): string | undefined {
  const invalid = invalidContextName(name);
  if (invalid) return invalid;
  const taken = homesOf(contextNames(name)).filter((home) => existsSync(path.join(ROOT, home)));
  if (taken.length > 0) return `context "${name}" exists already (${taken.join(', ')})`;
  return undefined;
}

/** Why the context `name` cannot be removed, or undefined when it can. */
function removalRefusal(name: string): string | undefined {
  const invalid = invalidContextName(name);
  if (invalid) return invalid;
  const missing = homesOf(contextNames(name)).filter((home) => !existsSync(path.join(ROOT, home)));
  if (missing.length === homesOf(contextNames(name)).length) return `there is no context "${name}"`;
  return callersRefusal(name);
}

/**
 * Another context's service that calls this one (an upstream in stack.services.json, as
 * transfers calls accounts) would be left pointing at nothing: that context goes first.
 */
function callersRefusal(name: string): string | undefined {
  const list = JSON.parse(readFileSync(path.join(ROOT, 'stack.services.json'), 'utf8')) as {
    services: {
      name: string;
      context?: string;
      upstreams?: Record<string, { context?: string }>;
    }[];
  };
  const callers = list.services.filter(
    (s) =>
      s.context !== undefined &&
      s.context !== name &&
      Object.values(s.upstreams ?? {}).some((target) => target.context === name),
  );
  if (callers.length === 0) return undefined;
  const contexts = [...new Set(callers.map((s) => s.context))].join(', ');
  return `context "${name}" is called by ${callers.map((s) => s.name).join(', ')}: remove ${contexts} first`;
}

/**
 * Tests outside its homes that drive a context's own API (the gateway's tests against the
 * example's routes, the events lib's tests of its events): removed with it.
 */
const testFoldersOf = (n: ContextNames): string[] => [
  `apps/gateway/test/${n.plural}`,
  `libs/events/test/${n.plural}`,
];

const nameOf = (answers: unknown): string => {
  const given: unknown = (answers as { name?: unknown } | undefined)?.name;
  return typeof given === 'string' ? given : '';
};

const removeHome =
  (relative: string): Action =>
  () => {
    rmSync(path.join(ROOT, relative), { recursive: true, force: true });
    return `removed ${relative}`;
  };

/**
 * The skeleton's services default to the accounts ports (3001, 3002); a generated one defaults
 * to the local ports stack.services.json gives it, so two contexts started by hand do not clash.
 */
const withLocalPorts = (text: string, commandPort: number): string =>
  text
    .replace('defaultPort: 3001 }', `defaultPort: ${commandPort} }`)
    .replace('defaultPort: 3002 }', `defaultPort: ${commandPort + 1} }`);

const copySkeletonFile =
  (from: string, n: ContextNames, commandPort: number): Action =>
  () => {
    const relative = renameSkeleton(path.relative(SKELETON_DIR, from), n);
    const to = path.join(ROOT, relative);
    mkdirSync(path.dirname(to), { recursive: true });
    const text = withLocalPorts(renameSkeleton(readFileSync(from, 'utf8'), n), commandPort);
    writeFileSync(to, text, { flag: 'wx' });
    return `wrote ${relative}`;
  };

/** deploy/k8s: each overlay lists the context's components and images (k8s-wiring.ts). */
const k8sOverlayEdits = (
  edit: (text: string, n: ContextNames, overlay: K8sOverlay) => string,
  n: ContextNames,
): Action[] =>
  (Object.keys(K8S_OVERLAYS) as K8sOverlay[]).map((overlay) =>
    editFile(K8S_OVERLAYS[overlay], (text) => edit(text, n, overlay), n),
  );

const editFile =
  (relative: string, edit: (text: string, n: ContextNames) => string, n: ContextNames): Action =>
  () => {
    const file = path.join(ROOT, relative);
    writeFileSync(file, edit(readFileSync(file, 'utf8'), n));
    return `edited ${relative}`;
  };

/**
 * Links the workspace after packages were added or removed. The importers are written into
 * pnpm-lock.yaml from the package.json files (lockfile-importers.ts), so pnpm only links, with
 * no registry; a dependency the lockfile does not resolve yet is resolved by pnpm, online.
 */
const linkWorkspace: Action = () => {
  const lockFile = path.join(ROOT, 'pnpm-lock.yaml');
  const globs = workspaceGlobs(readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8'));
  const written = withImporters(readFileSync(lockFile, 'utf8'), readWorkspace(ROOT, globs));
  if ('lock' in written) {
    writeFileSync(lockFile, written.lock);
    spawnOrThrow('pnpm', ['install', '--offline', '--frozen-lockfile']);
    return 'linked the workspace (pnpm install --offline: the lockfile resolves every dependency)';
  }
  spawnOrThrow('pnpm', ['install', '--prefer-offline']);
  return `linked the workspace (pnpm install resolved ${written.unresolved.join(', ')})`;
};

export default function plopfile(plop: NodePlopAPI): void {
  // `pnpm gen rename-scope @acme`: the workspace's scope and the names that follow from it.
  plop.setGenerator('rename-scope', {
    description: "renames the workspace's npm scope, project name and Kafka topic prefix",
    prompts: [
      {
        type: 'input',
        name: 'scope',
        message: 'new npm scope (e.g. @acme)',
        validate: (scope: string) => renameRefusal(scope) ?? true,
      },
    ],
    actions: (answers) => {
      const scope: unknown = (answers as { scope?: unknown } | undefined)?.scope;
      return renameScopeActions(typeof scope === 'string' ? scope : '');
    },
  });

  plop.setGenerator('context', {
    description:
      'a new bounded context: domain lib, events, command and projector apps, k8s component, wiring',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'context name (one lower-case plural noun, e.g. orders)',
        validate: (name: string) => refusal(name) ?? true,
      },
    ],
    actions: (answers) => {
      const name = nameOf(answers);
      const refused = refusal(name);
      // Plop validates prompts only when asked interactively; a bypassed name is checked here.
      if (refused) return refuse(refused);
      const n = contextNames(name);
      const port = firstFreeLocalPort(readFileSync(path.join(ROOT, 'stack.services.json'), 'utf8'));
      const written = filesUnder(SKELETON_DIR)
        .sort()
        .map((file) => copySkeletonFile(file, n, port));
      return [
        ...written,
        editFile('libs/events/src/index.ts', addEventExports, n),
        editFile('libs/events/scripts/generate-schemas.ts', addSchemaRegistry, n),
        editFile('apps/gateway/src/contexts.ts', addGatewayContext, n),
        editFile('apps/gateway/package.json', addGatewayDependency, n),
        editFile('docker-compose.yml', addComposeServices, n),
        editFile('.env.example', addEnvPasswords, n),
        editFile('stack.services.json', addStackServices, n),
        ...k8sOverlayEdits(addK8sContext, n),
        linkWorkspace,
        run('JSON Schemas of the new events', 'pnpm', ['-s', 'events:generate']),
        ...regenerateAndFormat(homesOf(n).map((home) => `${home}/**`)),
      ];
    },
  });

  plop.setGenerator('remove-context', {
    description: 'removes a context (generated, or the accounts example): its folders and wiring',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'context to remove',
        validate: (name: string) => removalRefusal(name) ?? true,
      },
    ],
    actions: (answers) => {
      const name = nameOf(answers);
      const refused = removalRefusal(name);
      if (refused) return refuse(refused);
      const n = contextNames(name);
      return [
        ...[...homesOf(n), ...testFoldersOf(n)].map(removeHome),
        editFile('libs/events/src/index.ts', removeEventExports, n),
        editFile('libs/events/scripts/generate-schemas.ts', removeSchemaRegistry, n),
        editFile('apps/gateway/src/contexts.ts', removeGatewayContext, n),
        editFile('apps/gateway/package.json', removeGatewayDependency, n),
        editFile('docker-compose.yml', removeComposeServices, n),
        editFile('.env.example', removeEnvPasswords, n),
        editFile('stack.services.json', removeStackServices, n),
        ...k8sOverlayEdits(removeK8sContext, n),
        editFile('package.json', (text) => removeRootScripts(text, homesOf(n)), n),
        linkWorkspace,
        // Published event versions are frozen; removing the whole context is the one exception.
        run("drops the removed events' JSON Schemas", 'pnpm', [
          '-s',
          'events:generate',
          '--allow-breaking',
        ]),
        ...regenerateAndFormat([]),
      ];
    },
  });

  registerPartGenerators(plop);
}

/** The API collection again, and prettier over every shared file the generators edit. */
const regenerateAndFormat = (written: string[]): Action[] => [
  run('the API collection', 'pnpm', ['-s', 'http:write']),
  run('formats what was written', 'pnpm', [
    'exec',
    'prettier',
    '--write',
    '--log-level=warn',
    '--ignore-unknown',
    ...written,
    'libs/events/src/index.ts',
    'libs/events/scripts/generate-schemas.ts',
    'apps/gateway/src/contexts.ts',
    'apps/gateway/package.json',
    'docker-compose.yml',
    'stack.services.json',
    ...Object.values(K8S_OVERLAYS),
  ]),
];
