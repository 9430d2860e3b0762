import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contextNames } from './context-names';
import { ROOT } from './gen-actions';
import { addK8sContext, K8S_OVERLAYS, removeK8sContext, type K8sOverlay } from './k8s-wiring';

const overlays = Object.keys(K8S_OVERLAYS) as K8sOverlay[];
const read = (overlay: K8sOverlay): string =>
  readFileSync(path.join(ROOT, K8S_OVERLAYS[overlay]), 'utf8');
const inventory = contextNames('inventory');
const accounts = contextNames('accounts');

describe.each(overlays)('overlays/%s/kustomization.yaml', (overlay) => {
  it('lists a new context after the others, its images beside the gateway', () => {
    const out = addK8sContext(read(overlay), inventory, overlay);
    expect(out).toContain('  - ../../contexts/accounts\n');
    expect(out).toContain('  - ../../contexts/inventory\n');
    expect(out.includes('  - ../../contexts/inventory/dev\n')).toBe(overlay === 'dev');
    const gateway = /^ {2}- name: gateway\n {4}newName: (.*)gateway\n {4}newTag: (.*)\n/m.exec(out);
    expect(out).toContain(
      `  - name: inventory-command\n    newName: ${gateway?.[1]}inventory-command\n    newTag: ${gateway?.[2]}\n`,
    );
    expect(out).toContain(`  - name: inventory-projector\n`);
  });

  it('removes a generated context to the byte', () => {
    const text = read(overlay);
    expect(removeK8sContext(addK8sContext(text, inventory, overlay), inventory, overlay)).toBe(
      text,
    );
  });

  it('removes the example, leaving an empty list that a new context fills again', () => {
    const none = removeK8sContext(read(overlay), accounts, overlay);
    expect(none).not.toMatch(/accounts/);
    expect(none).toMatch(/^components: \[\]$/m);
    const one = addK8sContext(none, inventory, overlay);
    expect(one).toMatch(/^components:\n {2}- \.\.\/\.\.\/contexts\/inventory$/m);
    expect(removeK8sContext(one, inventory, overlay)).toBe(none);
  });

  it('refuses a context that is not there', () => {
    expect(() => removeK8sContext(read(overlay), inventory, overlay)).toThrow(/cannot find/);
  });
});
