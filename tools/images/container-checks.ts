import { podman, podmanOut } from './podman';

/** The checks one running image must pass; `undefined` where a check could not run. */
export interface ContainerReport {
  name: string;
  /** Seconds from `podman run` until the readiness endpoint answered 200 (read-only root). */
  readySeconds?: number;
  healthcheck?: boolean;
  uid?: number;
  stopSeconds?: number;
  exitCode?: number;
  errors: string[];
}

export const STOP_TIMEOUT_SECONDS = 10;

/**
 * Starts an image the strict way: read-only root filesystem without even a writable /tmp (what
 * a hardened deployment gives), the host's network (so it reaches the machine's Kafka and
 * Postgres on 127.0.0.1), and only the environment given.
 */
export async function startContainer(
  name: string,
  image: string,
  env: Record<string, string>,
): Promise<void> {
  const args = ['run', '-d', '--name', name, '--network', 'host'];
  args.push('--read-only', '--read-only-tmpfs=false');
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  await podmanOut([...args, image]);
}

/** Resolves with the seconds until `url` answers 200; rejects when the container exits first. */
export async function waitReady(name: string, url: string, timeoutMs = 90_000): Promise<number> {
  const startedAt = performance.now();
  while (performance.now() - startedAt < timeoutMs) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return (performance.now() - startedAt) / 1000;
    const running = await podmanOut(['inspect', '--format', '{{.State.Running}}', name]);
    if (running !== 'true') throw new Error(`${name} exited before it was ready`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name}: ${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

/**
 * The image's own HEALTHCHECK, run once by podman (no systemd here to run it on a timer). A few
 * tries: the check has a 3 s timeout, and a loaded machine may need a second go.
 */
export async function healthcheckPasses(name: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await podman(['healthcheck', 'run', name])).code === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return false;
}

/** The uid the service's process runs as (PID 1 of the container). */
export async function processUid(name: string): Promise<number> {
  const status = await podmanOut(['exec', name, 'cat', '/proc/1/status']);
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  if (uid === undefined) throw new Error(`${name}: no Uid line in /proc/1/status`);
  return Number(uid);
}

/**
 * `podman stop -t 10`: SIGTERM, then SIGKILL after 10 s. A service that shuts down cleanly is
 * gone well before that, with exit code 0; 137 means it had to be killed.
 */
export async function stopContainer(name: string): Promise<{ seconds: number; exitCode: number }> {
  const stop = await podman(['stop', '-t', String(STOP_TIMEOUT_SECONDS), name]);
  if (stop.code !== 0) throw new Error(`podman stop ${name}: ${stop.stderr.trim()}`);
  const exitCode = Number(await podmanOut(['inspect', '--format', '{{.State.ExitCode}}', name]));
  return { seconds: stop.seconds, exitCode };
}

/** The last lines a container printed, for a failure message. */
export async function containerLogTail(name: string, lines = 25): Promise<string> {
  const logs = await podman(['logs', '--tail', String(lines), name]);
  return `${logs.stdout}${logs.stderr}`.trim();
}

export const removeContainer = async (name: string): Promise<void> =>
  void (await podman(['rm', '-f', '-t', '0', name]));
