import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serviceList } from '@cqrs/testing';
import { imageTag } from '../images/app-images';

/**
 * The compose override that runs every service of stack.services.json from the image built
 * for its app, written at run time from the one service list: the contexts present (a
 * generated one, none after the example's removal) are exactly the services overridden.
 */
export function appImagesOverride(): string {
  const lines = ['services:'];
  for (const service of serviceList())
    lines.push(`  ${service.name}:`, `    image: ${imageTag(service.app)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The script `pnpm demo` runs (the `tsx <file>` of the root package.json's demo script), or
 * undefined when the project has no demo (its example context removed).
 */
export function demoScript(root: string): string | undefined {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const file = /\btsx\s+(\S+)/.exec(pkg.scripts?.['demo'] ?? '')?.[1];
  return file === undefined ? undefined : path.join(root, file);
}
