import type { EventEnvelope } from '@cqrs/events';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { parseProcessManagerConfig } from '../config/process-manager.config';
import type { ProcessDefinition } from '../definition/process-definition';
import { StepDriver } from '../driver/step-driver';
import type { DriverLogger } from '../driver/wakeup-listener';
import { ProcessMetrics } from '../metrics/process-metrics';
import { HttpCommandPort } from '../port/http-command-port';
import { readProcessStatus, type ProcessStatus } from '../status/process-status';

/** Something a service starts after its projections and stops before them. */
export interface ProcessWorker {
  readonly start: () => Promise<void>;
  readonly stop: () => Promise<void>;
  /** The process's name: what a status route is keyed by. */
  readonly name: string;
  /** One process (step, attempts, last error, state), or undefined. */
  readonly status: (processId: string) => Promise<ProcessStatus | undefined>;
}

export interface ProcessWorkerDeps {
  readonly pool: Pool;
  readonly registry: Registry;
  readonly log: DriverLogger;
  /** Where the process's projection keeps its table. */
  readonly schema: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The step driver of one process, wired as a service runs it: settings parsed from the
 * environment once (`<TARGET>_COMMAND_URL` per target, SYSTEM_TOKEN, PROCESS_*), the HTTP
 * command port, and the metrics (gauges read from the process table at scrape time). The
 * processes are started by `processProjection(definition)`, which the service runs among its
 * projections.
 */
export function processWorker<S, E extends EventEnvelope>(
  definition: ProcessDefinition<S, E>,
  targets: readonly string[],
  deps: ProcessWorkerDeps,
): ProcessWorker {
  const config = parseProcessManagerConfig(targets, deps.env);
  const metrics = new ProcessMetrics({
    registry: deps.registry,
    pool: deps.pool,
    schema: deps.schema,
    stuckAfterMs: config.stuckAfterMs,
  }).watch(definition.name);
  const driver = new StepDriver({
    pool: deps.pool,
    schema: deps.schema,
    definition,
    log: deps.log,
    observer: metrics,
    port: new HttpCommandPort({
      baseUrls: config.baseUrls,
      systemToken: config.systemToken,
      timeoutMs: config.requestTimeoutMs,
    }),
    backoff: config.backoff,
    batchSize: config.batchSize,
    stepsPerClaim: config.stepsPerClaim,
    pollIntervalMs: config.pollIntervalMs,
  });
  return {
    name: definition.name,
    start: () => driver.start(),
    stop: () => driver.stop(),
    status: (processId) => readProcessStatus(deps.pool, deps.schema, definition.name, processId),
  };
}
