export {
  idempotencyKey,
  isDone,
  type CommandRequest,
  type ProcessDefinition,
  type ProcessNext,
  type ProcessObserver,
  type ProcessStart,
  type StepCommand,
  type StepOutcome,
} from './definition/process-definition';
export { advance, progressOf, type ProcessProgress } from './definition/process-progress';
export { migrateProcessTable, processTableMigrations } from './schema/process-migrations';
export { processTable } from './schema/process-table.sql';
export { foldProcessEvents, type LoadedProcess, type ProcessFold } from './projection/process-fold';
export { processProjection, type StartObserver } from './projection/process-projection';
export { backoffCeilingMs, backoffDelayMs, type BackoffPolicy } from './driver/backoff';
export {
  attemptStep,
  runClaimed,
  type AttemptKind,
  type ClaimRun,
  type StepAttempt,
} from './driver/step-attempt';
export { StepDriver, type StepDriverOptions, type StepObserver } from './driver/step-driver';
export type { DriverLogger } from './driver/wakeup-listener';
export type { CommandPort, RetryLater, SendResult } from './port/command-port';
export { classifyResponse } from './port/classify-response';
export { HttpCommandPort, type HttpCommandPortOptions } from './port/http-command-port';
export {
  parseProcessManagerConfig,
  processManagerEnv,
  targetUrlVariable,
  type ProcessManagerConfig,
} from './config/process-manager.config';
export { ProcessMetrics, type ProcessMetricsOptions } from './metrics/process-metrics';
export { readProcessStatus, type ProcessStatus } from './status/process-status';
export {
  processWorker,
  type ProcessWorker,
  type ProcessWorkerDeps,
} from './service/process-worker';
