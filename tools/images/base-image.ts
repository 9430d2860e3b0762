import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Exit code of ensure-podman.sh when podman cannot be had here (CI skips the step then). */
export const PODMAN_UNAVAILABLE = 3;

/** Installs and configures podman when needed (ensure-podman.sh); exits when it cannot. */
export function ensurePodman(): void {
  const setup = spawnSync('bash', [path.join(__dirname, 'ensure-podman.sh')], { stdio: 'inherit' });
  if (setup.status === 0) return;
  process.exit(setup.status === PODMAN_UNAVAILABLE ? PODMAN_UNAVAILABLE : 1);
}

/** The Debian root filesystem image base-image.sh builds the Node image on. */
export const DEBIAN_BASE_IMAGE = 'localhost/debian:bookworm-minbase-node';

/** The test base image's name (base-image.sh), built on the first run and reused after. */
export function baseImage(root: string): { image: string; seconds: number } {
  const startedAt = performance.now();
  const nodeVersion = readFileSync(path.join(root, '.node-version'), 'utf8').trim();
  const build = spawnSync('bash', [path.join(__dirname, 'base-image.sh'), nodeVersion], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error('the base image could not be built (base-image.sh)');
  const image = build.stdout.trim().split('\n').pop() ?? '';
  return { image, seconds: (performance.now() - startedAt) / 1000 };
}
