// Before any decorated class is loaded (the query helpers are Nest providers).
import 'reflect-metadata';
export {
  eventsTopicEnvName,
  loadProjectorServiceConfig,
  PROJECTOR_ROLES,
  projectorServiceConfigSchema,
  type ProjectorContextNames,
  type ProjectorRole,
  type ProjectorServiceConfig,
  type ProjectorServiceConfigOptions,
} from './config/projector-service.config';
export {
  migrateProjectorService,
  rebuildProjectionJob,
  replayDeadLettersJob,
  runJob,
} from './jobs/projector-jobs';
export { ConsistencyInterceptor } from './query/consistency.interceptor';
export {
  decodeCursor,
  decodeInstantIdCursor,
  decodeVersionCursor,
  encodeCursor,
  encodeInstantIdCursor,
  encodeVersionCursor,
  isValidInstant,
  MAX_VERSION,
  type InstantIdCursor,
} from './query/cursor';
export { QUERY_DEPS, type QueryDeps } from './query/query-deps';
export {
  PageParamsSchema,
  parseOrFail,
  PositionQuerySchema,
  unknownCursor,
  uuidParamOrFail,
  type PageParams,
} from './query/query-params';
export { queryErrors } from './query/query-problems';
export { QueryError } from './query/query.errors';
export { retryInBackground, type BackgroundStart } from './service/background-start';
export {
  createProjectorService,
  runProjectorService,
  type ProjectorService,
} from './service/create-projector-service';
export {
  createProjectorKafka,
  deadLetterTopicSpecOf,
  ensureEventTopic,
  projectorLog,
} from './service/projector-kafka';
export type {
  ProjectorServiceDefinition,
  QuerySide,
  ServiceWorker,
  ServiceWorkerDeps,
} from './service/projector-service.definition';
export {
  projectionArg,
  projectionSpecs,
  selectProjection,
  UnknownProjectionError,
  type ProjectionSpec,
  type ProjectionsConfig,
} from './service/projection-specs';
export { migrateProjections, waitForReadModel } from './service/read-model';
