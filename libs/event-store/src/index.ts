export type {
  AppendRequest,
  AppendResult,
  IdempotencyRecord,
  PendingEvent,
  StoredEvent,
  StoredIdempotencyRecord,
} from './append/append.types';
export { GroupCommitter, type GroupCommitOptions } from './append/group-commit';
export { OUTBOX_CHANNEL } from './append/group-commit.sql';
export { PgEventStore } from './append/pg-event-store';
export {
  OutboxRelay,
  type OutboxRelayOptions,
  type RelayLogger,
  type RelayStatus,
} from './outbox/outbox-relay';
export { toKafkaMessage } from './outbox/outbox-message';
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
export { StateCache } from './handler/state-cache';
