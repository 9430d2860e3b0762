export type {
  DecodeEvent,
  MessagePosition,
  Projection,
  ProjectionContext,
} from './projection.types';
export {
  checkedProjectionName,
  checkedSchema,
  positionsChannel,
} from './schema/projector-tables.sql';
export { migrateProjectorTables, projectorTableMigrations } from './schema/projector-migrations';
export {
  planBatch,
  type BatchPlan,
  type DecodedMessage,
  type ParkedEvent,
  type PlannedDeadLetter,
  type PlannedParking,
  type StreamState,
} from './runtime/batch-planner';
export { isTransientError } from './runtime/transient-errors';
export {
  ChunkApplier,
  type ChunkApplierOptions,
  type ChunkInput,
  type ChunkOutcome,
} from './runtime/chunk-applier';
export type { ChunkResult, ProjectorObserver } from './runtime/projector-observer';
export { noDeadLetterTopic, type DeadLetterPublisher } from './runtime/dead-letter-publisher';
export {
  assertEventsRetained,
  EventsLostError,
  findLostRanges,
  readCheckpoints,
  type LostRange,
} from './runtime/retained-events';
export {
  ProjectorRuntime,
  type ProjectorHealth,
  type ProjectorLogger,
  type ProjectorRuntimeOptions,
  type RunningProjection,
} from './runtime/projector-runtime';
export { DuplicateProjectionError, ProjectorHost } from './runtime/projector-host';
export {
  ProjectionStatusReader,
  type PartitionStatus,
  type ProjectionStatus,
} from './status/projection-status';
export { ProjectorMetrics } from './status/projector-metrics';
export {
  replayDeadLetters,
  type ReplayOptions,
  type ReplayReport,
} from './replay/replay-dead-letters';
export {
  rebuildProjection,
  RebuildRefusedError,
  RebuildSchemaSharedError,
  type RebuildOptions,
  type RebuildReport,
} from './rebuild/rebuild-projection';
export { StreamPositionWaiter, type PositionResult } from './wait/stream-position-waiter';
