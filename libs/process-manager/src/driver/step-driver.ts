import type { EventEnvelope } from '@cqrs/events';
import { inTransaction } from '@cqrs/platform';
import { positionsChannel } from '@cqrs/projections';
import type { Pool } from 'pg';
import type { ProcessDefinition } from '../definition/process-definition';
import type { CommandPort } from '../port/command-port';
import { processTable } from '../schema/process-table.sql';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import { runClaimed, type StepAttempt } from './step-attempt';
import { claimDue, recordSteps } from './step-rows.sql';
import { WakeupListener, type DriverLogger } from './wakeup-listener';

/** What the driver reports after each committed batch (ProcessMetrics in a service). */
export interface StepObserver {
  recordAttempts(process: string, attempts: readonly StepAttempt[], seconds: number): void;
}

export interface StepDriverOptions<S> {
  pool: Pool;
  /** The schema the process table lives in (the process projection's schema). */
  schema: string;
  definition: ProcessDefinition<S, EventEnvelope>;
  port: CommandPort;
  log: DriverLogger;
  /** Processes claimed per transaction; their commands are sent concurrently. */
  batchSize?: number;
  /** Steps a claimed process may take in one transaction while each is answered (default 8). */
  stepsPerClaim?: number;
  /** The wait between claims when nothing is due and no notification came. */
  pollIntervalMs?: number;
  backoff: BackoffPolicy;
  observer?: StepObserver;
  /** For tests that need exact backoffs. */
  random?: () => number;
}

/** The pause after a failed batch (database away): short at first, never long. */
const BATCH_FAILURE_BACKOFF: BackoffPolicy = { baseMs: 100, maxMs: 5_000 };

/**
 * Drives processes step by step. One batch is one transaction: claim due rows (FOR UPDATE SKIP
 * LOCKED), run each row's steps while they are answered (runClaimed), record where each row
 * got to, commit. The row lock is held across
 * the send on purpose: it is what keeps two replicas from sending the same step at once, and
 * the send is bounded by the port's timeout. A crash between the send and the commit rolls the
 * row back to before the send; the next claim re-sends the same command under the same
 * idempotency key, which the command service answers from its record: at-least-once sends,
 * effectively-once commands.
 */
export class StepDriver<S> {
  private readonly table: string;
  private readonly listener: WakeupListener;
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Why the last batch failed (database away), until one succeeds: for readiness. */
  private lastError: string | undefined;
  private woken = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: StepDriverOptions<S>) {
    this.table = processTable(options.schema, options.definition.name);
    this.listener = new WakeupListener(
      options.pool,
      positionsChannel(options.definition.name),
      () => this.notify(),
      options.log,
    );
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.listener.start();
    this.loop = this.run();
  }

  /** Finishes the batch in hand (its sends are bounded by the timeout), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.loop;
    this.loop = undefined;
    await this.listener.stop();
  }

  health(): { running: boolean; lastError: string | undefined } {
    return { running: this.loop !== undefined && !this.stopping, lastError: this.lastError };
  }

  /** Claims and drives one batch; returns how many step attempts it made. */
  async runOnce(): Promise<number> {
    const { options } = this;
    const started = process.hrtime.bigint();
    const attempts = await inTransaction(options.pool, async (tx) => {
      const claimed = await claimDue<S>(tx, this.table, options.batchSize ?? 16);
      const context = {
        definition: options.definition,
        port: options.port,
        backoff: options.backoff,
        random: options.random,
      };
      const steps = options.stepsPerClaim ?? 8;
      const runs = await Promise.all(claimed.map((row) => runClaimed(context, row, steps)));
      await recordSteps(
        tx,
        this.table,
        runs.map((run) => run.record),
      );
      return runs.flatMap((run) => run.attempts);
    });
    if (attempts.length > 0) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.observer?.recordAttempts(options.definition.name, attempts, seconds);
    }
    return attempts.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let claimed: number;
      try {
        claimed = await this.runOnce();
        failures = 0;
        this.lastError = undefined;
      } catch (error) {
        failures += 1;
        this.lastError = String(error);
        this.options.log.warn(
          { process: this.options.definition.name, err: String(error), failures },
          'step batch failed; rolled back, its steps will be re-sent with the same keys',
        );
        await this.idle(backoffDelayMs(failures, BATCH_FAILURE_BACKOFF));
        continue;
      }
      // A batch that advanced processes left their next steps due now: claim again at once.
      if (claimed === 0) await this.idle(this.options.pollIntervalMs ?? 500);
    }
  }

  private notify(): void {
    this.woken = true;
    this.wake?.();
  }

  /** Waits `ms`, or less when notified (a notification during a batch is not lost). */
  private async idle(ms: number): Promise<void> {
    if (this.woken || this.stopping) {
      this.woken = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.wake = undefined;
    this.woken = false;
  }
}
