/**
 * pnpm-lock.yaml without a removed context's workspace packages: their `importers:` blocks, and
 * the `link:` entries by which other packages depended on them. Removing packages resolves
 * nothing new, so with the lockfile edited here `pnpm install --offline --frozen-lockfile` can
 * relink the workspace with no registry and no metadata cache (a plain `pnpm install` would
 * resolve the whole tree again, which needs the registry's metadata). An external package that
 * only the removed packages used stays in `packages:` until the next online install prunes it.
 */
export function withoutImporters(lock: string, dirs: readonly string[]): string {
  const start = lock.indexOf('\nimporters:\n');
  if (start < 0) throw new Error('pnpm-lock.yaml: no importers section');
  const next = /\n(?=\S)/g;
  next.lastIndex = start + '\nimporters:\n'.length;
  const end = next.exec(lock)?.index ?? lock.length;
  const blocks = lock.slice(start, end).split(/\n(?= {2}\S)/);
  const kept = blocks
    .filter((block) => !dirs.some((dir) => block.startsWith(`  ${dir}:`)))
    .map((block) =>
      block.replace(
        / {6}\S+:\n {8}specifier: workspace:.*\n {8}version: link:(\S+)\n?/g,
        (entry: string, target: string) =>
          dirs.some((dir) => target === dir || target.endsWith(`/${dir}`)) ? '' : entry,
      ),
    );
  return lock.slice(0, start) + kept.join('\n') + lock.slice(end);
}
