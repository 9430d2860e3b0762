import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sourceState } from './source-state';

it('changes with a commit, an edit or a new file, and not with what git ignores', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'source-state-'));
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root });
  };
  expect(sourceState(root)).toBeUndefined();
  git('init', '-q');
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  writeFileSync(path.join(root, 'a.ts'), 'one');
  git('add', '.');
  git('commit', '-qm', 'first');
  const committed = sourceState(root);
  expect(committed).toMatch(/^[0-9a-f]{24}$/);
  expect(sourceState(root)).toBe(committed);

  execFileSync('mkdir', ['-p', path.join(root, 'dist')]);
  writeFileSync(path.join(root, 'dist', 'a.js'), 'built');
  expect(sourceState(root)).toBe(committed);

  writeFileSync(path.join(root, 'a.ts'), 'two');
  const edited = sourceState(root);
  expect(edited).not.toBe(committed);

  writeFileSync(path.join(root, 'b.ts'), 'new');
  const added = sourceState(root);
  expect(added).not.toBe(edited);
  writeFileSync(path.join(root, 'b.ts'), 'changed');
  expect(sourceState(root)).not.toBe(added);

  git('add', '.');
  git('commit', '-qm', 'second');
  expect(sourceState(root)).not.toBe(committed);
});
