import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventEnvelope } from '@cqrs/events';
import {
  consistencyTokens,
  consumerSettings,
  createMetricsRegistry,
  createPool,
  type Logger,
} from '@cqrs/platform';
import {
  ProjectionStatusReader,
  ProjectorHost,
  ProjectorMetrics,
  ProjectorRuntime,
  StreamPositionWaiter,
} from '@cqrs/projections';
import type { Registry } from 'prom-client';
import type { ProjectorServiceConfig } from '../config/projector-service.config';
import type { QueryDeps } from '../query/query-deps';
import { retryInBackground, type BackgroundStart } from './background-start';
import {
  createProjectorKafka,
  deadLetterTopicSpecOf,
  ensureEventTopic,
  projectorLog,
} from './projector-kafka';
import type { ProjectorServiceDefinition } from './projector-service.definition';
import { projectionSpecs } from './projection-specs';
import { migrateProjections, waitForReadModel } from './read-model';

/** What one process runs for its ROLE, before the HTTP edge is put around it. */
export interface ProjectorParts {
  readonly pool: Pool;
  readonly admin: Admin;
  readonly registry: Registry;
  /** The projection the query API serves (status, waits). */
  readonly served: string;
  readonly status: ProjectionStatusReader;
  readonly statuses: ReadonlyMap<string, ProjectionStatusReader>;
  readonly host: ProjectorHost | undefined;
  readonly readModel: BackgroundStart | undefined;
  readonly query: QueryDeps | undefined;
  readonly waiter: StreamPositionWaiter | undefined;
}

/**
 * The projector owns the schema (migrates, creates the topic, runs every projection); the query
 * role reads it under a read-only database role and needs neither to start: it listens at once
 * and answers 503 (readiness failing) until its database and the read model are there.
 */
export async function createProjectorParts<E extends EventEnvelope>(
  definition: ProjectorServiceDefinition<E>,
  config: ProjectorServiceConfig,
  logger: Logger,
): Promise<ProjectorParts> {
  const served = definition.projections[0];
  if (served === undefined) throw new Error('a projector service needs a projection');
  const runProjector = config.ROLE !== 'query';
  // One connection per partition applied at once, plus room for queries and status reads.
  const pool = createPool(
    {
      connectionString: config.DATABASE_URL,
      max: Math.max(10, config.PROJECTOR_PARTITIONS_CONCURRENTLY + 6),
      // A database that does not answer fails a query in bounded time (503), not after minutes.
      connectionTimeoutMillis: 5_000,
    },
    logger,
  );
  const kafka = createProjectorKafka(`${config.service}-${config.ROLE}`, config, logger);
  const admin = kafka.admin();
  const schema = config.READ_MODEL_SCHEMA;
  const registry = createMetricsRegistry(config.service);

  let readModel: BackgroundStart | undefined;
  if (runProjector) {
    await migrateProjections(pool, definition.projections, config);
    await admin.connect();
  } else {
    readModel = retryInBackground(
      'read model',
      () => waitForReadModel(pool, schema, definition.readModelTables, logger),
      logger,
    );
  }
  // What /projections/status reports: the projection the query API serves.
  const status = new ProjectionStatusReader({
    pool,
    admin,
    schema,
    topic: config.eventsTopic,
    projection: served.name,
  });
  const statuses = new Map<string, ProjectionStatusReader>();
  const host = runProjector
    ? await startableHost(definition, config, {
        kafka,
        admin,
        pool,
        registry,
        logger,
        status,
        statuses,
      })
    : undefined;

  const { query, waiter } =
    config.ROLE === 'projector' ? {} : queryDeps(pool, served.name, config, logger);
  return {
    pool,
    admin,
    registry,
    served: served.name,
    status,
    statuses,
    host,
    readModel,
    query,
    waiter,
  };
}

/**
 * What the query controllers read with: the pool, the served schema and the position waiter
 * (woken by the projector's NOTIFY) behind read-your-writes.
 */
function queryDeps(
  pool: Pool,
  projection: string,
  config: ProjectorServiceConfig,
  logger: Logger,
): { query: QueryDeps; waiter: StreamPositionWaiter } {
  const waiter = new StreamPositionWaiter({
    pool,
    listen: { connectionString: config.DATABASE_URL },
    schema: config.READ_MODEL_SCHEMA,
    projection,
    onError: (error) => logger.warn({ err: error.message }, 'position listener error'),
  });
  // Until it listens, waits fall back to reading the position when they time out.
  retryInBackground('position listener', () => waiter.start(), logger);
  const query: QueryDeps = {
    pool,
    schema: config.READ_MODEL_SCHEMA,
    waiter,
    consistencyWaitMs: Math.min(config.CONSISTENCY_WAIT_MS, config.CONSISTENCY_MAX_WAIT_MS),
    maxWaitMs: config.CONSISTENCY_MAX_WAIT_MS,
    tokens: consistencyTokens(config.INTERNAL_TOKEN),
  };
  return { query, waiter };
}

interface HostDeps {
  kafka: Kafka;
  /** Connected: status readers ask it for high watermarks. */
  admin: Admin;
  pool: Pool;
  registry: Registry;
  logger: Logger;
  status: ProjectionStatusReader;
  statuses: Map<string, ProjectionStatusReader>;
}

/** Every projection of the service, each with its own group, checkpoints, status and metrics. */
async function startableHost<E extends EventEnvelope>(
  definition: ProjectorServiceDefinition<E>,
  config: ProjectorServiceConfig,
  deps: HostDeps,
): Promise<ProjectorHost> {
  const { kafka, admin, pool, registry, logger } = deps;
  await ensureEventTopic(kafka, config, logger);
  const specs = projectionSpecs(definition.projections, config);
  const runtimes = specs.map((spec, index) => {
    const name = spec.projection.name;
    const own =
      index === 0
        ? deps.status
        : new ProjectionStatusReader({
            pool,
            admin,
            schema: spec.schema,
            topic: spec.topic,
            projection: name,
          });
    deps.statuses.set(name, own);
    return new ProjectorRuntime<E>({
      kafka,
      pool,
      topic: spec.topic,
      groupId: spec.groupId,
      schema: spec.schema,
      projection: spec.projection,
      decode: definition.decode,
      log: projectorLog(logger),
      metrics: new ProjectorMetrics(registry, name, own),
      deadLetterTopic: spec.deadLetterTopic,
      deadLetterTopicSpec: deadLetterTopicSpecOf(config),
      chunkSize: config.PROJECTOR_CHUNK_SIZE,
      partitionsConcurrently: config.PROJECTOR_PARTITIONS_CONCURRENTLY,
      consumer: {
        ...consumerSettings(config.KAFKA_SESSION_TIMEOUT_MS),
        minBytes: config.KAFKA_FETCH_MIN_BYTES,
        maxWaitTimeInMs: config.KAFKA_FETCH_MAX_WAIT_MS,
      },
    });
  });
  return new ProjectorHost(runtimes);
}
