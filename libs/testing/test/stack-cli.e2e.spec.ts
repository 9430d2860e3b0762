import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, testInfra, waitUntil } from '../src';

/**
 * `pnpm stack` itself, as a developer runs it (local mode, against the run's Kafka and
 * Postgres): a service killed under it comes back with the reason logged, and SIGTERM stops
 * every process it started. The supervisor's own int test covers the broker it starts and the
 * crash loop; this proves the command is wired to it. Uses the stack's fixed service ports
 * (3001-3003), so nothing else may run `pnpm stack` on this machine meanwhile.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const infra = testInfra();
let stack: ChildProcess | undefined;
let output = '';

jest.setTimeout(180_000);

/** Every process below `pid` (tsx runs the CLI in a child of its own). */
function descendants(pid: number): Array<{ pid: number; command: string }> {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: Array<{ pid: number; command: string }> = [];
  const walk = (parent: number): void => {
    for (const child of parents.get(parent) ?? []) {
      let command = '';
      try {
        command = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        continue;
      }
      found.push({ pid: child, command });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const servicePid = (app: string): number | undefined =>
  descendants(stack!.pid!).find((p) => p.command.includes(`apps/${app}/dist/main.js`))?.pid;

afterAll(() => {
  if (stack?.pid !== undefined && alive(stack.pid)) {
    for (const { pid } of descendants(stack.pid)) process.kill(pid, 'SIGKILL');
    stack.kill('SIGKILL');
  }
});

it('restarts a killed service and stops everything on SIGTERM', async () => {
  const gatewayPort = await freePort();
  stack = spawn(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['libs/testing/src/cli/stack.cli.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        STACK_MODE: 'local',
        STACK_BUILD: 'false',
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        DATABASE_URL: infra.databaseUrl,
        GATEWAY_PORT: String(gatewayPort),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  const ready = async (): Promise<boolean> =>
    (await fetch(`${gateway}/health/ready`).catch(() => undefined))?.status === 200;
  await waitUntil('pnpm stack ready', async () => output.includes('All services are ready'), {
    timeoutMs: 120_000,
    intervalMs: 200,
    fail: () => (stack?.exitCode === null ? undefined : `exited:\n${output}`),
  });

  const first = servicePid('accounts-command');
  expect(first).toBeDefined();
  process.kill(first!, 'SIGKILL');
  await waitUntil(
    'accounts-command restarted',
    async () => {
      const now = servicePid('accounts-command');
      return now !== undefined && now !== first && (await ready());
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  expect(output).toMatch(/accounts-command .*restarting in \d+ ms/);

  const started = descendants(stack.pid!).map((p) => p.pid);
  expect(started.length).toBeGreaterThanOrEqual(4);
  const exited = new Promise<number | null>((resolve) => stack!.once('exit', resolve));
  stack.kill('SIGTERM');
  await exited;
  await waitUntil('every started process gone', async () => !started.some(alive), {
    timeoutMs: 15_000,
    intervalMs: 100,
  }).catch(() => undefined);
  expect(started.filter(alive)).toEqual([]);
  expect(output).toContain('Stopped.');
});
