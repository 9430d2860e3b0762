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
 * The scripts `pnpm demo` runs (each `tsx <file>` of the root package.json's demo script, one
 * per example context), none when the project has no demo (its example contexts removed).
 */
export function demoScripts(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const files = [...(pkg.scripts?.['demo'] ?? '').matchAll(/\btsx\s+(\S+)/g)].map((m) => m[1]!);
  return files.map((file) => path.join(root, file));
}
