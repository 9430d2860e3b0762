export { ConfigError, parseConfig } from './config/parse-config';
export {
  envBoolean,
  dataServiceEnv,
  envBrokers,
  envLogLevel,
  envNodeEnv,
  envNonNegativeInt,
  envPort,
  envPositiveInt,
  envPostgresUrl,
  httpServiceEnv,
  topicEnv,
} from './config/env-types';
export {
  DEVELOPMENT_SECRET_PREFIX,
  PRODUCTION_SECRET_MIN_LENGTH,
  isDevelopmentSecret,
  refuseDevelopmentSecrets,
  type ProductionSecretRules,
} from './config/production-secrets';
export { createLogger, type Logger } from './logging/create-logger';
export { registerAccessLog, type AccessLogOptions } from './logging/access-log';
export {
  currentCorrelationId,
  requestContext,
  type RequestContext,
} from './logging/request-context';
export {
  createMetricsRegistry,
  opsAccess,
  registerCorrelation,
  registerOpsRoutes,
  type ReadinessCheck,
} from './ops/ops-routes';
export { runMigrations, type MigrationTarget, type SqlMigration } from './db/run-migrations';
export { createPool, type PoolErrorLog } from './db/create-pool';
export { inTransaction } from './db/in-transaction';
export {
  consistencyTokens,
  isConsistencyTokenShape,
  type ConsistencyPosition,
  type ConsistencyTokens,
} from './http/consistency-token';
export { problem, sendProblem, type Problem } from './http/problem';
export {
  parsePreferWait,
  PREFER_HEADER,
  PREFERENCE_APPLIED_HEADER,
  type PreferWait,
} from './http/prefer-wait';
export {
  ACTOR_HEADER,
  actorOf,
  hasInternalToken,
  INTERNAL_TOKEN_HEADER,
  registerInternalAuth,
} from './http/internal-auth';
export { SYSTEM_ACTOR, SYSTEM_TOKEN_HEADER, systemAuth } from './http/system-auth';
export {
  problemFromError,
  ProblemExceptionFilter,
  type ErrorMapper,
  registerJsonOnly,
  registerProblemErrorHandler,
} from './http/http-edge';
export { createKafkaClient, lowLatencySocketFactory } from './kafka/create-kafka-client';
export { kafkaLogCreator } from './kafka/kafka-log-creator';
export {
  ensureTopics,
  eventTopicSpec,
  type EnsureTopicsResult,
  type TopicSettings,
  type TopicSpec,
} from './kafka/ensure-topics';
export { consumerSettings, KAFKA_RETRY, MIN_SESSION_TIMEOUT_MS } from './kafka/consumer-settings';
export {
  CommandHeadersSchema,
  ConsistencyTokenSchema,
  CONTRACT_HEADERS,
  IdempotencyKeySchema,
  ifMatchVersion,
  IfMatchSchema,
  QueryHeadersSchema,
} from './contract/request-headers.schema';
export {
  bodyIssues,
  idempotencyKeyRequired,
  issuesAt,
  validationProblem,
  type IssueLocation,
  type ValidationIssue,
} from './contract/validation-problem';
