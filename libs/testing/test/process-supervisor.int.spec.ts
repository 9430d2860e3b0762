import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ProcessSupervisor } from '../src/cli/process-supervisor';
import { waitUntil } from '../src/infra/probe';

/**
 * `pnpm stack`'s supervision with real processes: a killed service is started again (and the
 * reason logged); SIGTERM to the stack, or a service crashing in a loop, stops every child and
 * the broker it started.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(__dirname, 'support', 'supervised-stack.fixture.ts');
const idle = ['-e', 'setInterval(() => {}, 1000)'];

/** Running (a zombie left to an init that does not reap counts as gone). */
const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Signals are asynchronous: give the processes a moment to be gone. */
async function gone(pids: number[]): Promise<boolean[]> {
  await waitUntil('processes gone', async () => !pids.some(alive), {
    timeoutMs: 5_000,
    intervalMs: 50,
  }).catch(() => undefined);
  return pids.map(alive);
}

jest.setTimeout(60_000);

it('restarts a killed service and logs why', async () => {
  const lines: string[] = [];
  const supervisor = new ProcessSupervisor({
    log: (m) => lines.push(m),
    initialBackoffMs: 50,
    onGiveUp: () => undefined,
  });
  const first = supervisor.add({ name: 'svc', start: () => spawn(process.execPath, idle) });
  try {
    first.kill('SIGKILL');
    await waitUntil(
      'a new svc process',
      async () => {
        const now = supervisor.current('svc');
        return now !== first && alive(now?.pid);
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/svc killed by SIGKILL; restarting in \d+ ms/),
    );
  } finally {
    await supervisor.stopAll();
  }
  expect(alive(supervisor.current('svc')?.pid)).toBe(false);
});

it('replaces a process on request without counting its exit as a crash', async () => {
  const lines: string[] = [];
  const supervisor = new ProcessSupervisor({
    log: (m) => lines.push(m),
    initialBackoffMs: 50,
    onGiveUp: () => undefined,
  });
  const first = supervisor.add({ name: 'svc', start: () => spawn(process.execPath, idle) });
  try {
    const second = await supervisor.restart('svc', 2_000);
    expect(second?.pid).not.toBe(first.pid);
    expect(await gone([first.pid!])).toEqual([false]);
    // No crash-restart follows: after the backoff the replacement is still the current one.
    await new Promise((r) => setTimeout(r, 300));
    expect(supervisor.current('svc')).toBe(second);
    expect(alive(second?.pid)).toBe(true);
    expect(lines.filter((l) => l.includes('restarting in'))).toEqual([]);
  } finally {
    await supervisor.stopAll();
  }
  expect(alive(supervisor.current('svc')?.pid)).toBe(false);
});

async function startFixture(args: string[] = []): Promise<{
  child: ChildProcess;
  pids: { a: number; b: number; broker: number };
  exited: Promise<number | null>;
  output: () => string;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitUntil('the fixture stack', async () => output.includes('"broker"'), {
    timeoutMs: 30_000,
    intervalMs: 50,
  });
  const line = output.split('\n').find((l) => l.includes('"broker"'))!;
  return { child, pids: JSON.parse(line), exited, output: () => output };
}

it('stops every child and the broker it started on SIGTERM', async () => {
  const stack = await startFixture();
  expect([stack.pids.a, stack.pids.b, stack.pids.broker].map(alive)).toEqual([true, true, true]);
  stack.child.kill('SIGTERM');
  expect(await stack.exited).toBe(0);
  expect(await gone([stack.pids.a, stack.pids.b, stack.pids.broker])).toEqual([
    false,
    false,
    false,
  ]);
});

it('gives up on a crash loop and then stops everything, broker included', async () => {
  const stack = await startFixture(['--crash-loop']);
  expect(await stack.exited).toBe(1);
  expect(stack.output()).toMatch(/b exited with code 3; restarting in/);
  expect(stack.output()).toMatch(/b keeps crashing/);
  expect(await gone([stack.pids.a, stack.pids.broker])).toEqual([false, false]);
});
