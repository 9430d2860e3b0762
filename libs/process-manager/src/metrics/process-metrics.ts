import { Counter, Gauge, type Registry } from 'prom-client';
import type { Pool } from 'pg';
import type { StepAttempt } from '../driver/step-attempt';
import type { StepObserver } from '../driver/step-driver';
import type { StartObserver } from '../projection/process-projection';
import { processTable } from '../schema/process-table.sql';

export interface ProcessMetricsOptions {
  registry: Registry;
  pool: Pool;
  schema: string;
  /** An active process older than this counts as stuck (process_manager_stuck_processes). */
  stuckAfterMs: number;
}

/** Gauges collected within this long of each other reuse one read of the table. */
const SCRAPE_REUSE_MS = 250;

interface ActiveFigures {
  active: number;
  oldestSeconds: number;
  stuck: number;
}

/**
 * The process manager's metrics for one registry. Counters come from this instance's drivers
 * and start projection; the gauges are read from the table at scrape time (partial indexes on
 * active rows keep that cheap), so every replica reports the same figures for them.
 */
export class ProcessMetrics implements StepObserver, StartObserver {
  private readonly processes = new Set<string>();
  /** One query per process per scrape, shared by the three gauges that collect it. */
  private readonly reads = new Map<
    string,
    { at: number; figures: Promise<ActiveFigures | undefined> }
  >();
  private readonly started: Counter<'process'>;
  private readonly completed: Counter<'process'>;
  private readonly attempts: Counter<'process' | 'step' | 'outcome'>;
  private readonly retries: Counter<'process' | 'step'>;

  constructor(private readonly options: ProcessMetricsOptions) {
    const registers = [options.registry];
    this.started = new Counter({
      name: 'process_manager_processes_started_total',
      help: 'Processes started by this instance (rows inserted by its start projection)',
      labelNames: ['process'],
      registers,
    });
    this.completed = new Counter({
      name: 'process_manager_processes_completed_total',
      help: 'Processes this instance drove to done',
      labelNames: ['process'],
      registers,
    });
    this.attempts = new Counter({
      name: 'process_manager_step_attempts_total',
      help: 'Step attempts committed, by outcome (accepted, rejected, retry, done)',
      labelNames: ['process', 'step', 'outcome'],
      registers,
    });
    this.retries = new Counter({
      name: 'process_manager_step_retries_total',
      help: 'Step attempts that reached no decision (transport error, timeout, 5xx, 429) and wait to be retried',
      labelNames: ['process', 'step'],
      registers,
    });
    this.gauge('process_manager_active_processes', 'Processes not done yet', (f) => f.active);
    this.gauge(
      'process_manager_oldest_active_process_age_seconds',
      'Age of the oldest process not done yet (0 when none)',
      (f) => f.oldestSeconds,
    );
    this.gauge(
      'process_manager_stuck_processes',
      'Active processes older than the stuck bound (PROCESS_STUCK_AFTER_MS)',
      (f) => f.stuck,
    );
  }

  /** Reports the gauges of this process (its table in the configured schema). */
  watch(process: string): this {
    this.processes.add(process);
    return this;
  }

  recordStarted(process: string, count: number): void {
    this.started.inc({ process }, count);
  }

  recordAttempts(process: string, attempts: readonly StepAttempt[]): void {
    for (const attempt of attempts) {
      const step = attempt.step ?? '';
      this.attempts.inc({ process, step, outcome: attempt.kind });
      if (attempt.kind === 'retry') this.retries.inc({ process, step });
      if (attempt.record.status === 'done') this.completed.inc({ process });
    }
  }

  private gauge(name: string, help: string, pick: (figures: ActiveFigures) => number): void {
    const read = (process: string): Promise<ActiveFigures | undefined> => {
      const cached = this.reads.get(process);
      if (cached !== undefined && Date.now() - cached.at < SCRAPE_REUSE_MS) return cached.figures;
      const figures = this.readActive(process).catch(() => undefined);
      this.reads.set(process, { at: Date.now(), figures });
      return figures;
    };
    const processes = this.processes;
    new Gauge({
      name,
      help,
      labelNames: ['process'],
      registers: [this.options.registry],
      async collect() {
        const figures = await Promise.all(
          [...processes].map(async (p) => [p, await read(p)] as const),
        );
        this.reset();
        for (const [process, f] of figures) if (f !== undefined) this.set({ process }, pick(f));
      },
    });
  }

  /** The active figures of one process, from the table (served by its partial indexes). */
  async readActive(process: string): Promise<ActiveFigures> {
    const { rows } = await this.options.pool.query<{
      active: string;
      oldest: number | null;
      stuck: string;
    }>(
      `SELECT count(*) AS active,
              extract(epoch FROM now() - min(created_at))::float8 AS oldest,
              count(*) FILTER (WHERE created_at < now() - $1 * interval '1 millisecond') AS stuck
         FROM ${processTable(this.options.schema, process)} WHERE status = 'active'`,
      [this.options.stuckAfterMs],
    );
    const row = rows[0];
    return {
      active: Number(row?.active ?? 0),
      oldestSeconds: row?.oldest ?? 0,
      stuck: Number(row?.stuck ?? 0),
    };
  }
}
