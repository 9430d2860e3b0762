import type { ChildProcess } from 'node:child_process';

export interface SupervisedSpec {
  name: string;
  /** Spawns the process (again after each crash). */
  start: () => ChildProcess;
}

export interface SupervisorOptions {
  log: (message: string) => void;
  /** First restart delay; doubles after each crash that follows quickly, up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Crashes within `windowMs` after which the supervisor gives up on a service. */
  maxCrashes?: number;
  windowMs?: number;
  /** Called once when a service crashes too often; the caller stops everything. */
  onGiveUp: (name: string, reason: string) => void;
}

interface Entry {
  spec: SupervisedSpec;
  child: ChildProcess;
  crashes: number[];
  timer?: NodeJS.Timeout;
  /** Set while restart() replaces the process, whose exit is then no crash. */
  replacing?: boolean;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null): string =>
  signal ? `killed by ${signal}` : `exited with code ${String(code)}`;

/**
 * Keeps the development stack's services running: a service that exits on its own is logged
 * with the reason and started again after a backoff (100 ms, doubling while it keeps crashing);
 * one that crashes `maxCrashes` times within `windowMs` is given up on. stopAll() stops
 * restarting first, then terminates every child (SIGKILL after a grace period).
 */
export class ProcessSupervisor {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {}

  add(spec: SupervisedSpec): ChildProcess {
    const entry: Entry = { spec, child: spec.start(), crashes: [] };
    this.entries.set(spec.name, entry);
    this.watch(entry);
    return entry.child;
  }

  /** The service's current process (a new one after each restart). */
  current(name: string): ChildProcess | undefined {
    return this.entries.get(name)?.child;
  }

  /**
   * Replaces the service's process on request (new code to run): stops the current one (SIGKILL
   * after `graceMs`) and starts a fresh one, with a clean crash record, also after a give-up.
   * Returns the new process, or undefined while stopping everything.
   */
  async restart(name: string, graceMs = 10_000): Promise<ChildProcess | undefined> {
    const entry = this.entries.get(name);
    if (!entry || this.stopping) return undefined;
    clearTimeout(entry.timer);
    entry.replacing = true;
    try {
      await terminate(entry.child, graceMs);
    } finally {
      entry.replacing = false;
    }
    if (this.stopping) return undefined;
    entry.crashes = [];
    entry.child = entry.spec.start();
    this.watch(entry);
    return entry.child;
  }

  async stopAll(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    const running = [...this.entries.values()].map((entry) => {
      clearTimeout(entry.timer);
      return entry.child;
    });
    await Promise.all(running.map((child) => terminate(child, graceMs)));
  }

  private watch(entry: Entry): void {
    const { child } = entry;
    child.once('exit', (code, signal) => {
      if (this.stopping || entry.replacing || entry.child !== child) return;
      const reason = describeExit(code, signal);
      const now = Date.now();
      const windowMs = this.options.windowMs ?? 60_000;
      entry.crashes = [...entry.crashes.filter((t) => now - t < windowMs), now];
      if (entry.crashes.length >= (this.options.maxCrashes ?? 5)) {
        this.options.log(
          `${entry.spec.name} ${reason}; ${entry.crashes.length} crashes within ${windowMs / 1000} s, giving up.`,
        );
        this.options.onGiveUp(entry.spec.name, reason);
        return;
      }
      const delay = Math.min(
        this.options.maxBackoffMs ?? 5_000,
        (this.options.initialBackoffMs ?? 100) * 2 ** (entry.crashes.length - 1),
      );
      this.options.log(`${entry.spec.name} ${reason}; restarting in ${delay} ms.`);
      entry.timer = setTimeout(() => {
        if (this.stopping) return;
        entry.child = entry.spec.start();
        this.watch(entry);
      }, delay);
    });
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * One exit path for a command that owns processes: SIGINT (Ctrl-C, which pnpm may deliver
 * twice), SIGTERM, an uncaught error and the caller's own failures all run `cleanup` exactly
 * once and then exit. Returns the function the caller uses to exit with a code.
 */
export function exitThroughCleanup(
  cleanup: () => Promise<void>,
  log: (message: string) => void,
): (code: number, why?: string) => Promise<void> {
  let exiting: Promise<void> | undefined;
  const exit = (code: number, why?: string): Promise<void> => {
    if (why) log(why);
    exiting ??= cleanup()
      .catch((error: unknown) =>
        log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .then(() => process.exit(code));
    return exiting;
  };
  // `on`, not `once`: a second signal while stopping must not kill us before cleanup ends.
  process.on('SIGINT', () => void exit(0, exiting ? 'Still stopping...' : 'Stopping (SIGINT)...'));
  process.on(
    'SIGTERM',
    () => void exit(0, exiting ? 'Still stopping...' : 'Stopping (SIGTERM)...'),
  );
  process.on('uncaughtException', (error) => void exit(1, `fatal: ${error.message}`));
  process.on('unhandledRejection', (error) => void exit(1, `fatal: ${String(error)}`));
  return exit;
}
