import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventEnvelope } from '@cqrs/events';
import {
  createLogger,
  ProblemExceptionFilter,
  registerAccessLog,
  registerCorrelation,
  registerInternalAuth,
  registerOpsRoutes,
  type Logger,
} from '@cqrs/platform';
import type { ProjectorServiceConfig } from '../config/projector-service.config';
import { queryErrors } from '../query/query-problems';
import { projectionSpecs } from './projection-specs';
import { createProjectorParts } from './projector-parts';
import { projectorReadinessChecks } from './projector-readiness';
import type { ProjectorServiceDefinition } from './projector-service.definition';
import { ProjectorServiceModule } from './projector-service.module';
import { registerProjectionStatusRoute } from './projection-status.route';
import { registerWorkerStatusRoute } from './worker-status.route';

export interface ProjectorService {
  readonly app: NestFastifyApplication;
  readonly log: Logger;
  /** Listens, then starts the projections; resolves with the bound address. */
  listen(): Promise<string>;
  /** Stops the projections (leaving their groups), drains requests, ends the listener and pool. */
  close(): Promise<void>;
}

/**
 * A projector service for one context, by ROLE: `projector` migrates and runs every projection,
 * `query` serves the query controllers (read-your-writes waits, wait-for-position), `all` both;
 * each with health, readiness, metrics, internal auth and problem+json. A second context needs
 * its projections and query controllers, not service code.
 */
export async function createProjectorService<E extends EventEnvelope>(
  definition: ProjectorServiceDefinition<E>,
  config: ProjectorServiceConfig,
  options: { log?: Logger; env?: NodeJS.ProcessEnv } = {},
): Promise<ProjectorService> {
  const log = options.log ?? createLogger({ service: config.service, level: config.LOG_LEVEL });
  const parts = await createProjectorParts(definition, config, log);
  const specs = projectionSpecs(definition.projections, config);
  const workers =
    parts.host && definition.workers
      ? definition.workers({
          pool: parts.pool,
          registry: parts.registry,
          log,
          env: options.env ?? process.env,
          schemaOf: (name) => {
            const spec = specs.find((s) => s.projection.name === name);
            if (!spec) throw new Error(`${config.service}: no projection ${name} for a worker`);
            return spec.schema;
          },
        })
      : [];
  const app = await NestFactory.create<NestFastifyApplication>(
    ProjectorServiceModule.register(parts.query, definition.query),
    new FastifyAdapter({ skipMiddie: true }), // no Nest middleware: no middie hook per request
    { logger: false },
  );
  app.useGlobalFilters(new ProblemExceptionFilter(log, queryErrors(log)));
  const fastify = app.getHttpAdapter().getInstance();
  registerCorrelation(fastify);
  registerAccessLog(fastify, log, { enabled: config.ACCESS_LOG });
  registerInternalAuth(fastify, config.INTERNAL_TOKEN);
  const { pool, readModel, host, statuses } = parts;
  registerOpsRoutes(fastify, {
    registry: parts.registry,
    checks: projectorReadinessChecks(pool, config, readModel, host, statuses),
    internalToken: config.INTERNAL_TOKEN,
  });
  registerProjectionStatusRoute(fastify, parts, config);
  registerWorkerStatusRoute(fastify, workers, config.INTERNAL_TOKEN);

  return {
    app,
    log,
    listen: async () => {
      // Listening first: liveness answers while the consumer joins its group (readiness says
      // when it runs), so a restart is visible at once and a slow join is not a hung boot.
      await app.listen(config.PORT, config.HOST);
      // A projection that fails to start stops the others again: each leaves its group before
      // the process fails, so no member holds partitions for a whole session timeout.
      await host?.start();
      for (const worker of workers) await worker.start();
      log.info(
        { port: config.PORT, role: config.ROLE, schema: config.READ_MODEL_SCHEMA },
        `${config.service} listening`,
      );
      return app.getUrl();
    },
    close: async () => {
      // The projector first: it finishes or rolls back its chunk and leaves the group promptly,
      // so its partitions move to another instance without waiting for a session timeout.
      for (const worker of workers) await worker.stop();
      await host?.stop();
      await app.close();
      await parts.waiter?.stop();
      await Promise.allSettled([parts.admin.disconnect(), pool.end()]);
    },
  };
}

/**
 * The process around the service: listen, and on SIGTERM or SIGINT (or a bug that escapes every
 * handler) stop the projections, drain requests and exit, bounded by 10 s. A failure to start
 * is printed and exits 1.
 */
export async function runProjectorService<E extends EventEnvelope>(
  definition: ProjectorServiceDefinition<E>,
  loadConfig: () => ProjectorServiceConfig,
): Promise<void> {
  let service = `${definition.context.name}-projector`;
  try {
    const config = loadConfig();
    service = config.service;
    const running = await createProjectorService(definition, config);
    await running.listen();
    let closing = false;
    const shutdown = async (reason: string, code: number): Promise<void> => {
      if (closing) return;
      closing = true;
      running.log.info({ reason }, 'shutting down');
      // Bounded: an unreachable broker or database must not keep a stopping process alive.
      setTimeout(() => process.exit(code), 10_000).unref();
      await running.close();
      process.exit(code);
    };
    process.once('SIGTERM', (s) => void shutdown(s, 0));
    process.once('SIGINT', (s) => void shutdown(s, 0));
    // A bug that escapes every handler still leaves the group on the way out.
    const fatal = (error: unknown): void => {
      running.log.fatal(
        { err: error instanceof Error ? error.message : String(error) },
        'fatal error',
      );
      void shutdown('fatal error', 1);
    };
    process.once('uncaughtException', fatal);
    process.once('unhandledRejection', fatal);
  } catch (error) {
    process.stderr.write(
      `${service} failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
