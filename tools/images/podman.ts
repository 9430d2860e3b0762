import { spawn } from 'node:child_process';

/** What a finished podman command left behind. */
export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs `podman <args>` and resolves when it exits, with its output and wall time. `echo` streams
 * its output too (long builds show progress); nothing is thrown: callers decide what fails.
 */
export function podman(
  args: readonly string[],
  options: { echo?: boolean } = {},
): Promise<PodmanResult> {
  const startedAt = performance.now();
  const child = spawn('podman', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (options.echo) process.stderr.write(chunk);
  });
  return new Promise((resolve) => {
    const done = (code: number): void =>
      resolve({ code, stdout, stderr, seconds: (performance.now() - startedAt) / 1000 });
    child.once('error', (error) => {
      stderr += error.message;
      done(127);
    });
    child.once('close', (code) => done(code ?? 1));
  });
}

/** Like `podman`, but its trimmed stdout, or an error that quotes what podman said. */
export async function podmanOut(args: readonly string[]): Promise<string> {
  const result = await podman(args);
  if (result.code !== 0)
    throw new Error(`podman ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** An image's size in bytes as podman stores it (uncompressed layers). */
export async function imageBytes(image: string): Promise<number> {
  return Number(await podmanOut(['image', 'inspect', '--format', '{{.Size}}', image]));
}
