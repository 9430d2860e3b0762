import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ContextDescriptor, DomainError } from '@cqrs/context';
import type { NewEvent } from '@cqrs/events';
import {
  createLogger,
  ProblemExceptionFilter,
  registerAccessLog,
  registerCorrelation,
  registerInternalAuth,
  registerJsonOnly,
  registerOpsRoutes,
  type Logger,
} from '@cqrs/platform';
import type { CommandServiceConfig } from '../config/command-service.config';
import type { CommandPreparer } from '../http/command-preparer';
import { registerCommandRoutes } from '../http/command-routes';
import { commandReadinessChecks } from './command-readiness';
import { CommandRuntime } from './command-runtime';
import { CommandServiceModule } from './command-service.module';

const BODY_LIMIT = 16 * 1024;

export interface CommandService {
  readonly app: NestFastifyApplication;
  readonly log: Logger;
  /** Starts the relay and the purger, then listens; resolves with the bound address. */
  listen(): Promise<string>;
  /** Drains requests, then stops the purger and the relay and ends the pool. */
  close(): Promise<void>;
}

/**
 * A command service for one context: every command of the descriptor served with the
 * contract's validation, If-Match, Idempotency-Key, internal auth, problem+json, metrics and
 * health (internal commands for system callers when SYSTEM_TOKEN is set); appends group-committed with an outbox the relay publishes to the context's topic.
 * Migrates the event store first. A second context needs a descriptor, not service code.
 */
export async function createCommandService<
  Command,
  State,
  Event extends NewEvent,
  Error extends DomainError,
>(
  context: ContextDescriptor<Command, State, Event, Error>,
  config: CommandServiceConfig,
  options: { log?: Logger; prepare?: CommandPreparer<Command> } = {},
): Promise<CommandService> {
  const log = options.log ?? createLogger({ service: config.service, level: config.LOG_LEVEL });
  const runtime = await CommandRuntime.create(context, config, log, options.prepare);

  // skipMiddie: no Express-style Nest middleware here, so no middie hook on every request.
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT, skipMiddie: true });
  const app = await NestFactory.create<NestFastifyApplication>(
    CommandServiceModule.register(runtime),
    adapter,
    // Body parsing is ours (registerJsonOnly): JSON only, empty bodies allowed, 400 on bad JSON.
    { logger: false, bodyParser: false },
  );
  app.useGlobalFilters(new ProblemExceptionFilter(log));
  const fastify = app.getHttpAdapter().getInstance();
  registerCorrelation(fastify);
  registerAccessLog(fastify, log, { enabled: config.ACCESS_LOG });
  registerJsonOnly(fastify, BODY_LIMIT);
  registerInternalAuth(fastify, config.INTERNAL_TOKEN);
  registerOpsRoutes(fastify, {
    registry: runtime.registry,
    internalToken: config.INTERNAL_TOKEN,
    checks: commandReadinessChecks(runtime.pool, runtime.relay, config.OUTBOX_MAX_AGE_SECONDS),
  });
  const { aggregate } = context;
  await registerCommandRoutes(fastify, context, runtime.endpoint, log, {
    token: config.SYSTEM_TOKEN,
    summary:
      aggregate.summary && runtime.summarize
        ? {
            path: aggregate.summary.path,
            idParam: aggregate.idParam,
            idSchema: aggregate.idSchema,
            aggregate: aggregate.name,
            read: runtime.summarize,
          }
        : undefined,
  });

  return {
    app,
    log,
    listen: async () => {
      await app.listen(config.PORT, config.HOST);
      const address = await app.getUrl();
      log.info(
        {
          port: config.PORT,
          relay: Boolean(runtime.relay),
          commands: context.commands.length,
          // Internal routes exist only with SYSTEM_TOKEN set: say which way this instance runs.
          internalRoutes: config.SYSTEM_TOKEN !== undefined,
        },
        `${config.service} listening`,
      );
      return address;
    },
    close: () => app.close(),
  };
}

/**
 * The process around the service: listen, and on SIGTERM or SIGINT drain requests, stop the
 * relay, end the pool and exit 0. A failure to start is printed and exits 1.
 */
export async function runCommandService<
  Command,
  State,
  Event extends NewEvent,
  Error extends DomainError,
  Config extends CommandServiceConfig,
>(
  context: ContextDescriptor<Command, State, Event, Error>,
  loadConfig: () => Config,
  /** Builds the service's command preparer from its config (see CommandPreparer). */
  preparer?: (config: Config) => CommandPreparer<Command>,
): Promise<void> {
  let service = 'command service';
  try {
    const config = loadConfig();
    service = config.service;
    const running = await createCommandService(context, config, { prepare: preparer?.(config) });
    await running.listen();
    let closing = false;
    const shutdown = async (signal: string): Promise<void> => {
      if (closing) return;
      closing = true;
      running.log.info({ signal }, 'shutting down: draining requests, then the relay');
      await running.close();
      process.exit(0);
    };
    process.once('SIGTERM', (s) => void shutdown(s));
    process.once('SIGINT', (s) => void shutdown(s));
  } catch (error) {
    process.stderr.write(
      `${service} failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
