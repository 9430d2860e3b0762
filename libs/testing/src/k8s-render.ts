import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders deploy/k8s with a real kustomize, offline: a `kustomize` binary, else kubectl's
 * built-in one (`kubectl kustomize`). deploy/k8s/tools/kubectl.sh finds or fetches a kubectl
 * (.ci/run calls it); KUSTOMIZE or KUBECTL name a binary explicitly.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const K8S_DIR = path.join(REPO_ROOT, 'deploy', 'k8s');
export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** What every rendered object has; the rest is read through the Kubernetes models' types. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The command that prints a kustomization's output, or undefined when neither tool is here. */
export function kustomizeCommand(): { file: string; args: string[] } | undefined {
  const kustomize = process.env['KUSTOMIZE'] ?? onPath('kustomize');
  if (kustomize) return { file: kustomize, args: ['build'] };
  const kubectl = process.env['KUBECTL'] ?? onPath('kubectl') ?? cachedKubectl();
  if (kubectl) return { file: kubectl, args: ['kustomize'] };
  return undefined;
}

/** The kubectl that deploy/k8s/tools/kubectl.sh caches on a machine that had none. */
function cachedKubectl(): string | undefined {
  const cache = path.join(
    process.env['XDG_CACHE_HOME'] ?? path.join(process.env['HOME'] ?? '/', '.cache'),
    'cqrs-template',
  );
  if (!fs.existsSync(cache)) return undefined;
  for (const dir of fs
    .readdirSync(cache)
    .filter((d) => d.startsWith('kubectl-'))
    .sort()) {
    const candidate = path.join(cache, dir, 'kubectl', 'kubectl');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The objects an overlay (or any kustomization folder under deploy/k8s) renders to. */
export function renderKustomization(relativeDir: string): K8sObject[] {
  const command = kustomizeCommand();
  if (!command)
    throw new Error(
      'no kustomize or kubectl found: run `bash deploy/k8s/tools/kubectl.sh` (it caches one), or set KUSTOMIZE or KUBECTL',
    );
  const output = execFileSync(command.file, [...command.args, path.join(K8S_DIR, relativeDir)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(output).map((document) => {
    const [error] = document.errors;
    if (error) throw new Error(`kustomize output: ${error.message}`);
    return document.toJS() as K8sObject;
  });
}

/** The version line of the tool in use, for the test's report. */
export function kustomizeVersion(): string {
  const command = kustomizeCommand();
  if (!command) return 'none';
  const args = command.args[0] === 'build' ? ['version'] : ['version', '--client'];
  return execFileSync(command.file, args, { encoding: 'utf8' }).trim().replace(/\n/g, ', ');
}
