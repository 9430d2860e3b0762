import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contextNames } from './context-names';
import { ROOT } from './gen-actions';
import { addK8sContext, K8S_OVERLAYS, removeK8sContext, type K8sOverlay } from './k8s-wiring';

/**
 * The overlay edits on the checkout's own overlays, whatever contexts they list now (gen:check
 * runs this with a generated context, and with none): `parcels` is a context that is not there.
 */
const overlays = Object.keys(K8S_OVERLAYS) as K8sOverlay[];
const read = (overlay: K8sOverlay): string =>
  readFileSync(path.join(ROOT, K8S_OVERLAYS[overlay]), 'utf8');
const parcels = contextNames('parcels');
const listedContexts = (text: string): string[] => [
  ...new Set([...text.matchAll(/^ {2}- \.\.\/\.\.\/contexts\/([a-z]+)$/gm)].map((m) => m[1]!)),
];

describe.each(overlays)('overlays/%s/kustomization.yaml', (overlay) => {
  it('lists a new context after the others, its images beside the gateway', () => {
    const text = read(overlay);
    const out = addK8sContext(text, parcels, overlay);
    expect(listedContexts(out)).toEqual([...listedContexts(text), 'parcels']);
    expect(out.includes('  - ../../contexts/parcels/dev\n')).toBe(overlay === 'dev');
    const gateway = /^ {2}- name: gateway\n {4}newName: (.*)gateway\n {4}newTag: (.*)\n/m.exec(out);
    for (const app of ['parcels-command', 'parcels-projector'])
      expect(out).toContain(
        `  - name: ${app}\n    newName: ${gateway?.[1]}${app}\n    newTag: ${gateway?.[2]}\n`,
      );
  });

  it('removes a generated context to the byte', () => {
    const text = read(overlay);
    expect(removeK8sContext(addK8sContext(text, parcels, overlay), parcels, overlay)).toBe(text);
  });

  it('removes every context, leaving an empty list that a new context fills again', () => {
    const none = listedContexts(read(overlay)).reduce(
      (text, name) => removeK8sContext(text, contextNames(name), overlay),
      read(overlay),
    );
    expect(none).not.toMatch(/contexts\//);
    expect(none).toMatch(/^components: \[\]$/m);
    const one = addK8sContext(none, parcels, overlay);
    expect(one).toMatch(/^components:\n {2}- \.\.\/\.\.\/contexts\/parcels$/m);
    expect(removeK8sContext(one, parcels, overlay)).toBe(none);
  });

  it('refuses a context that is not there', () => {
    expect(() => removeK8sContext(read(overlay), parcels, overlay)).toThrow(/cannot find/);
  });
});
