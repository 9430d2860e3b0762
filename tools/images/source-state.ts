import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The label an app image carries: the source state it was built from. */
export const SOURCE_LABEL = 'org.cqrs-template.source';

/**
 * A digest of the files an image build can see, from git: the commit, the uncommitted changes to
 * tracked files and every untracked file git does not ignore (.gitignore covers what
 * .dockerignore leaves out of the context: node_modules, dist, bench-results). Two builds with
 * the same state have the same context, so an image labelled with it can be run instead of built
 * again. Undefined outside a git checkout: then nothing is reused.
 */
export function sourceState(root: string): string | undefined {
  const git = (...args: string[]): Buffer | undefined => {
    const result = spawnSync('git', args, { cwd: root, maxBuffer: 1 << 30 });
    return result.status === 0 ? result.stdout : undefined;
  };
  const head = git('rev-parse', 'HEAD');
  const changes = git('diff', 'HEAD', '--binary');
  const untracked = git('ls-files', '-z', '--others', '--exclude-standard');
  if (!head || !changes || !untracked) return undefined;
  const hash = createHash('sha256').update(head).update(changes);
  for (const file of untracked.toString().split('\0').filter(Boolean).sort())
    hash.update(`\0${file}\0`).update(readFileSync(path.join(root, file)));
  return hash.digest('hex').slice(0, 24);
}
