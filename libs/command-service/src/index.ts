export {
  commandServiceConfigSchema,
  contextEnvNames,
  loadCommandServiceConfig,
  type CommandServiceConfig,
  type CommandServiceConfigOptions,
  type ContextNames,
} from './config/command-service.config';
export { commandResponder, type CommandResponder } from './handler/command-responses';
export { CorruptStreamError, createContextCommandHandler } from './handler/context-command.handler';
export type { CommandPreparer, PreparedCommand } from './http/command-preparer';
export { createCommandMetrics, type CommandMetrics } from './metrics/command-metrics';
export {
  createCommandService,
  runCommandService,
  type CommandService,
} from './service/create-command-service';
export { migrateEventStore } from './service/migrate-event-store';
