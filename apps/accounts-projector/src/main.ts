import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AccountEvent } from '@cqrs/events';
import {
  consistencyTokens,
  consumerSettings,
  createLogger,
  createPool,
  createMetricsRegistry,
  opsAccess,
  problem,
  ProblemExceptionFilter,
  registerCorrelation,
  registerInternalAuth,
  registerOpsRoutes,
  sendProblem,
  type ReadinessCheck,
} from '@cqrs/platform';
import {
  ProjectionStatusReader,
  ProjectorHost,
  ProjectorMetrics,
  ProjectorRuntime,
  StreamPositionWaiter,
} from '@cqrs/projections';
import { AppModule } from './app.module';
import { loadConfig } from './config/accounts-projector.config';
import { queryErrors } from './shared/query-problems';
import { retryInBackground, type BackgroundStart } from './wiring/background-start';
import type { QueryDeps } from './shared/query-deps';
import {
  createKafka,
  decodeAccountEvent,
  deadLetterTopicSpecOf,
  ensureEventTopic,
  migrate,
  projectionOf,
  projectionsOf,
  projectorLog,
  waitForReadModel,
} from './wiring/projector.wiring';

/** Composition root: parse config, migrate, start the role's parts, wire them into Nest. */
async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'accounts-projector', level: config.LOG_LEVEL });
  const serveQueries = config.ROLE !== 'projector';
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
  const kafka = createKafka(`accounts-projector-${config.ROLE}`, config);
  const admin = kafka.admin();
  const schema = config.READ_MODEL_SCHEMA;
  const registry = createMetricsRegistry('accounts-projector');
  const projection = projectionOf();

  // The projector owns the schema; the query role reads it under a read-only database role.
  // The query role needs neither to start: it listens at once and answers 503 (readiness
  // failing) until its database and the read model are there.
  let readModel: BackgroundStart | undefined;
  if (runProjector) {
    await migrate(pool, config);
    await admin.connect();
  } else {
    readModel = retryInBackground(
      'read model',
      () => waitForReadModel(pool, schema, logger),
      logger,
    );
  }
  const statusOf = (
    name: string,
    projectionSchema: string,
    topic: string,
  ): ProjectionStatusReader =>
    new ProjectionStatusReader({ pool, admin, schema: projectionSchema, topic, projection: name });
  // What /projections/status reports: the projection the query API serves.
  const status = statusOf(projection.name, schema, config.ACCOUNTS_EVENTS_TOPIC);

  // Every projection of the service, each with its own group, checkpoints and status.
  let host: ProjectorHost | undefined;
  const statuses = new Map<string, ProjectionStatusReader>();
  if (runProjector) {
    await ensureEventTopic(kafka, config, logger);
    const runtimes = projectionsOf(config).map((spec) => {
      const name = spec.projection.name;
      const own =
        name === projection.name && spec.schema === schema
          ? status
          : statusOf(name, spec.schema, spec.topic);
      statuses.set(name, own);
      return new ProjectorRuntime<AccountEvent>({
        kafka,
        pool,
        topic: spec.topic,
        groupId: spec.groupId,
        schema: spec.schema,
        projection: spec.projection,
        decode: decodeAccountEvent,
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
    host = new ProjectorHost(runtimes);
  }

  let query: QueryDeps | undefined;
  let waiter: StreamPositionWaiter | undefined;
  if (serveQueries) {
    waiter = new StreamPositionWaiter({
      pool,
      listen: { connectionString: config.DATABASE_URL },
      schema,
      projection: projection.name,
      onError: (error) => logger.warn({ err: error.message }, 'position listener error'),
    });
    // Until it listens, waits fall back to reading the position when they time out.
    const position = waiter;
    retryInBackground('position listener', () => position.start(), logger);
    query = {
      pool,
      schema,
      waiter,
      consistencyWaitMs: Math.min(config.CONSISTENCY_WAIT_MS, config.CONSISTENCY_MAX_WAIT_MS),
      maxWaitMs: config.CONSISTENCY_MAX_WAIT_MS,
      tokens: consistencyTokens(config.INTERNAL_TOKEN),
    };
  }

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(query),
    new FastifyAdapter({ skipMiddie: true }), // no Nest middleware: no middie hook per request
    {
      logger: false,
    },
  );
  app.useGlobalFilters(new ProblemExceptionFilter(logger, queryErrors(logger)));
  const fastify = app.getHttpAdapter().getInstance();
  registerCorrelation(fastify);
  registerInternalAuth(fastify, config.INTERNAL_TOKEN);
  const checks: Record<string, ReadinessCheck> = {
    postgres: async () => void (await pool.query('select 1')),
  };
  if (readModel && !runProjector) {
    const started = readModel;
    checks['readModel'] = () => {
      if (!started.done()) throw new Error(`read model not available: ${started.lastError()}`);
      return Promise.resolve();
    };
  }
  if (host) {
    const projectors = host;
    checks['projector'] = async () => {
      let totalLag = 0;
      let problem: string | undefined;
      for (const [name, health] of Object.entries(projectors.health())) {
        const lag = (await statuses.get(name)?.read())?.totalLag ?? 0;
        totalLag += lag;
        const named = projectors.names().length > 1 ? `${name}: ` : '';
        problem ??= !health.running
          ? `${named}consumer not running: ${health.lastError ?? 'starting'}`
          : lag > config.PROJECTOR_MAX_LAG
            ? `${named}lag ${lag} above ${config.PROJECTOR_MAX_LAG}`
            : undefined;
      }
      // A projector-only instance is not ready while it is behind; one that also serves
      // queries stays in rotation (queries wait for or flag staleness) and reports it here.
      if (problem && config.ROLE === 'projector') throw new Error(problem);
      return problem ? { lag: totalLag, degraded: problem } : { lag: totalLag };
    };
  }
  registerOpsRoutes(fastify, { registry, checks, internalToken: config.INTERNAL_TOKEN });
  // Offsets, lags, topic names and last errors describe the deployment: operators only.
  const access = opsAccess(config.INTERNAL_TOKEN);
  fastify.get('/projections/status', async (request, reply) => {
    if (!access.allowsDetails(request)) return access.refuse(reply, 'Projection status details');
    try {
      const consumer = host?.get(projection.name)?.health() ?? null;
      return { role: config.ROLE, consumer, ...(await status.read()) };
    } catch (error) {
      // Kafka (high watermarks) or the database is away: unavailable, not a server fault.
      const message = error instanceof Error ? error.message : String(error);
      return sendProblem(reply, problem(503, 'SERVICE_UNAVAILABLE', message), {
        'retry-after': '1',
      });
    }
  });

  // Listening first: liveness answers while the consumer joins its group (readiness says when
  // it runs), so a restart is visible at once and a slow join is not mistaken for a hung boot.
  await app.listen(config.PORT, config.HOST);
  // A projection that fails to start stops the others again: each leaves its group before the
  // process fails, so no member holds partitions for a whole session timeout.
  await host?.start();
  logger.info({ port: config.PORT, role: config.ROLE, schema }, 'accounts-projector listening');

  let closing = false;
  const shutdown = async (reason: string, code: number): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ reason }, 'shutting down');
    // Bounded: an unreachable broker or database must not keep a stopping process alive.
    setTimeout(() => process.exit(code), 10_000).unref();
    // The projector first: it finishes or rolls back its chunk and leaves the group promptly,
    // so its partitions move to another instance without waiting for a session timeout.
    await host?.stop();
    await app.close();
    await waiter?.stop();
    await Promise.allSettled([admin.disconnect(), pool.end()]);
    process.exit(code);
  };
  process.once('SIGTERM', (s) => void shutdown(s, 0));
  process.once('SIGINT', (s) => void shutdown(s, 0));
  // A bug that escapes every handler still leaves the group on the way out.
  const fatal = (error: unknown): void => {
    logger.fatal({ err: error instanceof Error ? error.message : String(error) }, 'fatal error');
    void shutdown('fatal error', 1);
  };
  process.once('uncaughtException', fatal);
  process.once('unhandledRejection', fatal);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `accounts-projector failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
