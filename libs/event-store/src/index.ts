export type {
  AppendRequest,
  AppendResult,
  IdempotencyRecord,
  PendingEvent,
  StoredEvent,
  StoredIdempotencyRecord,
} from './append/append.types';
export { GroupCommitter, type GroupCommitOptions } from './append/group-commit';
export {
  AppendOutcomeUnknownError,
  AppendQueueFullError,
  isTransientAppendError,
} from './append/append.errors';
export { IdempotencyPurger, type IdempotencyPurgerOptions } from './append/idempotency-purger';
export { OUTBOX_CHANNEL } from './append/group-commit.sql';
export { DEFAULT_APPEND_OPTIONS, PgEventStore } from './append/pg-event-store';
export {
  OutboxRelay,
  type OutboxRelayOptions,
  type RelayLogger,
  type RelayStatus,
} from './outbox/outbox-relay';
export { outboxBacklog, type OutboxBacklog } from './outbox/outbox-backlog';
export { eventStoreMigrations } from './schema/event-store.migrations';
export type { Decider, EventDecoder } from './handler/decider';
export {
  CommandHandler,
  type CommandContext,
  type CommandHandlerOptions,
  type CommandOutcome,
  type HandleResult,
  type StoredResponse,
} from './handler/command-handler';
