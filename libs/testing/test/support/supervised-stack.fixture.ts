/**
 * A stand-in for `pnpm stack` in the supervisor test: two supervised services and a detached
 * "broker" (as the real one, it outlives this process unless cleanup stops it). Prints the pids
 * as one JSON line. With --crash-loop, service b exits at once every time it is started.
 */
import { spawn } from 'node:child_process';
import { exitThroughCleanup, ProcessSupervisor } from '../../src/cli/process-supervisor';

const log = (message: string): void => void process.stdout.write(`${message}\n`);
const idle = ['-e', 'setInterval(() => {}, 1000)'];
const broker = spawn(process.execPath, idle, { detached: true, stdio: 'ignore' });
broker.unref();

const supervisor = new ProcessSupervisor({
  log,
  initialBackoffMs: 50,
  maxCrashes: 3,
  onGiveUp: (name) => void exit(1, `${name} keeps crashing`),
});
const exit = exitThroughCleanup(async () => {
  await supervisor.stopAll();
  if (broker.pid !== undefined) process.kill(broker.pid, 'SIGTERM');
}, log);

const a = supervisor.add({ name: 'a', start: () => spawn(process.execPath, idle) });
const b = supervisor.add({
  name: 'b',
  start: () =>
    spawn(
      process.execPath,
      process.argv.includes('--crash-loop') ? ['-e', 'process.exit(3)'] : idle,
    ),
});
log(JSON.stringify({ a: a.pid, b: b.pid, broker: broker.pid }));
