import { spawn } from 'node:child_process';
import path from 'node:path';
import { podman, podmanOut } from '../images/podman';

/** Runs a command from the repository root to its end; resolves with its exit code, its output streamed through. */
export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const child = spawn(command, args, {
    stdio: 'inherit',
    env,
    cwd: path.resolve(__dirname, '..', '..'),
  });
  return new Promise((resolve) => {
    child.once('error', () => resolve(127));
    child.once('close', (code) => resolve(code ?? 1));
  });
}

/** `Name Status` of every container of a compose project, as podman sees them. */
export async function projectContainers(
  project: string,
): Promise<{ name: string; status: string }[]> {
  const out = await podmanOut([
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.Names}}\t{{.Status}}',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', status = ''] = line.split('\t');
      return { name, status };
    });
}

/**
 * podman has no timer for HEALTHCHECKs without systemd: this runs each running container's check
 * every `everyMs`, so compose's `depends_on: condition: service_healthy` can advance. Returns
 * the function that stops it.
 */
// Every 5 s, the shortest interval of docker-compose.yml's healthchecks: a faster loop would use
// up a starting container's `retries` sooner than the file allows and mark it unhealthy.
export function healthcheckLoop(project: string, everyMs = 5000): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const containers = await projectContainers(project).catch(() => []);
      await Promise.all(
        containers
          .filter((c) => c.status.startsWith('Up') && c.status.includes('('))
          .map((c) => podman(['healthcheck', 'run', c.name])),
      );
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}
