import fs from 'node:fs';
import path from 'node:path';
import type { WorkspacePackage } from './workspace-graph';

/** A burst of saves, as one batch: the packages whose sources changed and when it began. */
export interface SourceChange {
  packages: Set<string>;
  /** Date.now() of the burst's first event: where a restart's measured time starts. */
  firstEventAt: number;
  files: string[];
}

/** What the compiler reads: TypeScript and JSON sources, not tests. */
const isSource = (file: string): boolean =>
  /\.(ts|json)$/.test(file) && !file.endsWith('.spec.ts') && !file.endsWith('.d.ts');

/**
 * Watches each package's src folder (recursively; dist is outside it, so our own writes do not
 * echo) and reports bursts of changes once they have been quiet for `quietMs`: an editor's
 * save is often a write plus a rename, and a branch switch touches many files at once.
 */
export function watchSources(
  packages: readonly WorkspacePackage[],
  onChange: (change: SourceChange) => void,
  quietMs = 25,
): { close: () => void } {
  let pending: SourceChange | undefined;
  let timer: NodeJS.Timeout | undefined;
  const watchers = packages
    .map((pkg) => ({ pkg, src: path.join(pkg.dir, 'src') }))
    .filter(({ src }) => fs.existsSync(src))
    .map(({ pkg, src }) =>
      fs.watch(src, { recursive: true }, (_event, filename) => {
        if (!filename || !isSource(filename)) return;
        pending ??= { packages: new Set(), firstEventAt: Date.now(), files: [] };
        pending.packages.add(pkg.name);
        const file = path.join(src, filename);
        if (!pending.files.includes(file)) pending.files.push(file);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const change = pending;
          pending = undefined;
          if (change) onChange(change);
        }, quietMs);
      }),
    );
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
