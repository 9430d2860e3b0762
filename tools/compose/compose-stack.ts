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
 * The containers whose healthcheck is due at `now`: never run, or run at least their own
 * interval ago. Running a check sooner than its interval would use up a starting container's
 * `retries` faster than the compose file allows and mark it unhealthy before its time.
 */
export function dueChecks(
  now: number,
  intervalsMs: ReadonlyMap<string, number>,
  lastRunAt: ReadonlyMap<string, number>,
): string[] {
  return [...intervalsMs]
    .filter(([name, interval]) => {
      const last = lastRunAt.get(name);
      return last === undefined || now - last >= interval;
    })
    .map(([name]) => name);
}

/** A container's healthcheck interval in ms (podman reports nanoseconds; Docker's default 30 s). */
async function intervalMs(container: string): Promise<number> {
  const out = await podman(['inspect', '--format', '{{.Config.Healthcheck.Interval}}', container]);
  const ns = Number(out.stdout.trim());
  return out.code === 0 && Number.isFinite(ns) && ns > 0 ? ns / 1e6 : 30_000;
}

/**
 * podman has no timer for HEALTHCHECKs without systemd: this runs each running container's check
 * at the interval its compose service declares, as a Docker engine would, so compose's
 * `depends_on: condition: service_healthy` can advance. Returns the function that stops it.
 */
export function healthcheckLoop(project: string, tickMs = 500): () => Promise<void> {
  let stopped = false;
  const intervals = new Map<string, number>();
  const lastRunAt = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const loop = (async () => {
    while (!stopped) {
      const containers = await projectContainers(project).catch(() => []);
      for (const c of containers.filter((c) => c.status.startsWith('Up') && c.status.includes('(')))
        if (!intervals.has(c.name)) intervals.set(c.name, await intervalMs(c.name));
      // Each container's check runs on its own: Kafka's (a JVM, several seconds) must not hold
      // back the Node services' checks, as one awaited round of all of them did.
      const due = dueChecks(Date.now(), intervals, lastRunAt).filter((n) => !running.has(n));
      for (const name of due) {
        lastRunAt.set(name, Date.now());
        const check = podman(['healthcheck', 'run', name]).then(() => undefined);
        running.set(name, check);
        void check.finally(() => running.delete(name));
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await Promise.all(running.values());
  };
}

/**
 * Prints, for every container of the project that is not healthy, its last health probes and
 * the tail of its log: the evidence a failed check needs before `down -v` deletes it.
 */
export async function reportUnhealthy(project: string, logLines = 60): Promise<void> {
  const containers = await projectContainers(project).catch(() => []);
  for (const container of containers.filter((c) => !c.status.includes('(healthy)'))) {
    const health = await podman(['inspect', '--format', '{{json .State.Health}}', container.name]);
    const log = await podman(['logs', '--tail', String(logLines), container.name]);
    process.stderr.write(
      `\n--- ${container.name}: ${container.status}\n` +
        `health: ${health.stdout.trim() || health.stderr.trim()}\n` +
        `log (last ${logLines} lines):\n${log.stdout}${log.stderr}\n`,
    );
  }
}
