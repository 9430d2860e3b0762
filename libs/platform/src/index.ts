export { ConfigError, parseConfig } from './config/parse-config';
export {
  envBoolean,
  envBrokers,
  envLogLevel,
  envPort,
  envPositiveInt,
  envPostgresUrl,
} from './config/env-types';
export { createLogger, type Logger } from './logging/create-logger';
export {
  currentCorrelationId,
  requestContext,
  type RequestContext,
} from './logging/request-context';
export {
  createMetricsRegistry,
  registerCorrelation,
  registerOpsRoutes,
  type ReadinessCheck,
} from './ops/ops-routes';
export { runMigrations, type SqlMigration } from './db/run-migrations';
