import type { ContextNames } from './context-names';
import { contextApps, escaped, insertAfterLast, removingLines } from './context-wiring';

/**
 * The edits of deploy/k8s's overlays that deploy a context. Everything else of a context is its
 * folder deploy/k8s/contexts/<context>/ (written from the skeleton, deleted on removal): a
 * Kustomize component with its services and its patches of the shared objects. An overlay lists
 * the component under `components:` (dev also its `dev` component, the development Secrets) and
 * sets the images of its apps, beside the gateway's. Like context-wiring.ts, each edit refuses a
 * file without its anchor, and removing is by the context's names, so it removes the example too.
 */
export const K8S_OVERLAYS = {
  dev: 'deploy/k8s/overlays/dev/kustomization.yaml',
  prod: 'deploy/k8s/overlays/prod/kustomization.yaml',
} as const;

export type K8sOverlay = keyof typeof K8S_OVERLAYS;

/** The component folders an overlay lists for a context. */
const componentsOf = (n: ContextNames, overlay: K8sOverlay): string[] => [
  `../../contexts/${n.plural}`,
  ...(overlay === 'dev' ? [`../../contexts/${n.plural}/dev`] : []),
];

/** The gateway's entry of `images:`, whose registry and tag a new context's apps follow. */
const GATEWAY_IMAGE = /^ {2}- name: gateway\n {4}newName: (.*)gateway\n {4}newTag: (.*)\n/m;

/** The overlay's kustomization.yaml with the context's components and images. */
export function addK8sContext(text: string, n: ContextNames, overlay: K8sOverlay): string {
  const file = K8S_OVERLAYS[overlay];
  // With no context the list is `components: []`; an empty key would be null, not a list.
  let out = text.replace(/^components: \[\]$/m, 'components:');
  out = insertAfterLast(
    out,
    /^(?:components:| {2}- \.\.\/\.\.\/contexts\/.*)$/,
    componentsOf(n, overlay)
      .map((component) => `\n  - ${component}`)
      .join(''),
    file,
  );
  const gateway = GATEWAY_IMAGE.exec(out);
  if (!gateway) throw new Error(`${file}: cannot find the gateway's image (name, newName, newTag)`);
  const [entry, registry, tag] = gateway as unknown as [string, string, string];
  const images = contextApps(n)
    .map((app) => `  - name: ${app}\n    newName: ${registry}${app}\n    newTag: ${tag}\n`)
    .join('');
  return out.replace(entry, images + entry);
}

export function removeK8sContext(text: string, n: ContextNames, overlay: K8sOverlay): string {
  const file = K8S_OVERLAYS[overlay];
  const p = escaped(n.plural);
  let out = removingLines(
    text,
    new RegExp(`^ {2}- \\.\\./\\.\\./contexts/${p}(?:/[a-z]+)?\\n`),
    file,
    `the ${n.plural} components`,
  );
  out = removingLines(
    out,
    new RegExp(`^ {2}- name: ${p}-[a-z]+\\n(?: {4}\\S.*\\n)*`),
    file,
    `the images of ${n.plural}`,
  );
  return out.replace(/^components:\n(?! {2}- )/m, 'components: []\n');
}
