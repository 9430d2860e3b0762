import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serviceList } from '@cqrs/testing';
import { imageTag } from '../images/app-images';
import { appImagesOverride, demoScripts } from './app-overrides';

const ROOT = path.resolve(__dirname, '..', '..');

it('overrides the image of every listed service, and of nothing else', () => {
  const expected = serviceList().flatMap((s) => [`  ${s.name}:`, `    image: ${imageTag(s.app)}`]);
  expect(appImagesOverride().trimEnd().split('\n')).toEqual(['services:', ...expected]);
});

it("finds each file of the root package.json's demo script, or none without one", () => {
  const demos = demoScripts(ROOT);
  const script = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts['demo'];
  if (script === undefined) expect(demos).toEqual([]);
  for (const demo of demos) expect(script).toContain(path.relative(ROOT, demo));

  const two = mkdtempSync(path.join(tmpdir(), 'two-demos-'));
  const scripts = { demo: 'pnpm build && tsx a/demo.ts && tsx b/demo.ts' };
  writeFileSync(path.join(two, 'package.json'), JSON.stringify({ scripts }));
  expect(demoScripts(two)).toEqual([path.join(two, 'a/demo.ts'), path.join(two, 'b/demo.ts')]);

  const bare = mkdtempSync(path.join(tmpdir(), 'no-demo-'));
  writeFileSync(path.join(bare, 'package.json'), JSON.stringify({ scripts: { test: 'jest' } }));
  expect(demoScripts(bare)).toEqual([]);
});
