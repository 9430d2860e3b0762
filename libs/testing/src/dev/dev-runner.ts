import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { ProcessSupervisor } from '../cli/process-supervisor';
import { waitReady } from '../cli/local-services';
import type { ServiceDefinition } from '../services/service-list';
import { packagesToCompile, servicesToRestart, type DevPlan, type DevService } from './dev-plan';
import { lineFormatter, type LogFormat } from './log-format';
import type { PackageCompiler } from './package-compiler';
import type { SourceChange } from './source-watcher';

export type RunnerLog = (msg: string, fields?: Record<string, unknown>) => void;

const ms = (from: number): number => Math.round(performance.now() - from);

/**
 * The services of a dev plan as supervised processes with their debuggers open, and the loop
 * that turns source changes into restarts: compile the changed packages and their dependents
 * (all of it, before anything restarts), then restart exactly the services that load a package
 * whose JavaScript changed. Changes that arrive meanwhile form the next batch.
 */
export class DevRunner {
  readonly supervisor: ProcessSupervisor;
  private queued: SourceChange | undefined;
  private busy = false;

  constructor(
    private readonly plan: DevPlan,
    private readonly compiler: PackageCompiler,
    private readonly options: {
      format: LogFormat;
      log: RunnerLog;
      envOf: (service: ServiceDefinition) => Record<string, string | undefined>;
    },
  ) {
    this.supervisor = new ProcessSupervisor({
      log: (msg) => options.log(msg),
      // A crash loop in dev mode is usually the code being edited: wait for the next save.
      onGiveUp: (name) =>
        options.log(`${name} keeps crashing; it starts again after the next change.`, {
          event: 'gave-up',
          target: name,
        }),
    });
  }

  /** Starts one service and resolves once it is ready. */
  async start(dev: DevService, index: number): Promise<void> {
    const startedAt = performance.now();
    const child = this.supervisor.add({
      name: dev.service.name,
      start: () => this.spawn(dev, index),
    });
    // At start-up a crash is retried by the supervisor; wait for whichever process answers.
    await waitReady(dev.service, { timeoutMs: 60_000, intervalMs: 50 });
    this.options.log(`${dev.service.name} ready in ${ms(startedAt)} ms, pid ${child.pid}`, {
      event: 'ready',
      target: dev.service.name,
      pid: this.supervisor.current(dev.service.name)?.pid,
      inspectPort: dev.inspectPort,
    });
  }

  /** Called by the watcher; batches changes that arrive while a batch is being handled. */
  onChange(change: SourceChange): void {
    if (this.queued) {
      for (const name of change.packages) this.queued.packages.add(name);
      this.queued.files.push(...change.files);
    } else this.queued = change;
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queued) {
        const change = this.queued;
        this.queued = undefined;
        await this.handle(change);
      }
    } finally {
      this.busy = false;
    }
  }

  private async handle(change: SourceChange): Promise<void> {
    const { log } = this.options;
    const compileStartedAt = performance.now();
    const emitted = new Set<string>();
    let errors = 0;
    for (const pkg of packagesToCompile(this.plan, change.packages)) {
      const result = this.compiler.compile(pkg.dir);
      for (const error of result.errors)
        log(error.trimEnd(), { event: 'type-error', package: pkg.name });
      errors += result.errors.length;
      if (result.runtimeChanged) emitted.add(pkg.name);
    }
    const compileMs = ms(compileStartedAt);
    const restart = servicesToRestart(this.plan, emitted);
    const files = change.files.map((f) => path.relative(process.cwd(), f)).join(', ');
    log(
      `${files} changed: compiled in ${compileMs} ms` +
        (errors > 0 ? `, ${errors} error(s), their packages keep the last good build` : '') +
        (restart.length > 0
          ? `; restarting ${restart.map((s) => s.service.name).join(', ')}`
          : '; no service runs changed code'),
      { event: 'compiled', compileMs, errors, restarting: restart.map((s) => s.service.name) },
    );
    await Promise.all(restart.map((dev) => this.restart(dev, change.firstEventAt, compileMs)));
  }

  private async restart(dev: DevService, changedAt: number, compileMs: number): Promise<void> {
    const name = dev.service.name;
    const stopStartedAt = performance.now();
    const child = await this.supervisor.restart(name);
    if (!child) return; // stopping
    const stopMs = ms(stopStartedAt);
    const startedAt = performance.now();
    try {
      await this.waitReady(dev);
    } catch (error) {
      this.options.log(`${name} did not become ready: ${String(error)}`, {
        event: 'not-ready',
        target: name,
      });
      return;
    }
    const readyMs = ms(startedAt);
    const changeToReadyMs = Date.now() - changedAt;
    this.options.log(
      `${name} restarted, ready ${(changeToReadyMs / 1000).toFixed(2)} s after the save ` +
        `(compile ${compileMs} ms, stop ${stopMs} ms, start to ready ${readyMs} ms), pid ${child.pid}`,
      {
        event: 'restarted',
        target: name,
        pid: child.pid,
        changeToReadyMs,
        compileMs,
        stopMs,
        readyMs,
      },
    );
  }

  private waitReady(dev: DevService): Promise<void> {
    const name = dev.service.name;
    const started = this.supervisor.current(name);
    return waitReady(dev.service, {
      timeoutMs: 60_000,
      intervalMs: 25,
      // A newer restart replaced the process we are waiting for: that one reports instead.
      fail: () => (this.supervisor.current(name) !== started ? 'replaced' : undefined),
    });
  }

  private spawn(dev: DevService, index: number): ChildProcess {
    const child = spawn(
      process.execPath,
      [
        `--inspect=127.0.0.1:${dev.inspectPort}`,
        '--enable-source-maps',
        path.join(dev.app.dir, 'dist', 'main.js'),
      ],
      { env: this.options.envOf(dev.service), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const width = Math.max(...this.plan.services.map((s) => s.service.name.length));
    const format = lineFormatter(this.options.format, dev.service.name, index, width);
    const pipe = (stream: NodeJS.ReadableStream | null, fromStderr: boolean): void => {
      if (!stream) return;
      readline
        .createInterface({ input: stream, crlfDelay: Infinity })
        .on('line', (line) => void process.stdout.write(`${format(line, fromStderr)}\n`));
    };
    pipe(child.stdout, false);
    pipe(child.stderr, true);
    return child;
  }
}
