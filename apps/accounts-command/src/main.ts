import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { logLevel } from 'kafkajs';
import {
  eventStoreMigrations,
  IdempotencyPurger,
  OutboxRelay,
  outboxBacklog,
  PgEventStore,
} from '@cqrs/event-store';
import {
  consistencyTokens,
  createKafkaClient,
  createLogger,
  createMetricsRegistry,
  eventTopicSpec,
  createPool,
  ProblemExceptionFilter,
  registerCorrelation,
  registerInternalAuth,
  registerJsonOnly,
  registerOpsRoutes,
  runMigrations,
} from '@cqrs/platform';
import { createAccountCommandHandler } from './accounts/account-command.handler';
import { createCommandMetrics } from './accounts/command-metrics';
import { AppModule } from './app.module';
import { loadConfig } from './config/accounts-command.config';
import { registerOutboxBacklogGauges } from './outbox/outbox-backlog.metrics';
import { CommandEndpoint } from './http/command-endpoint';

const BODY_LIMIT = 16 * 1024;

/** Composition root: parse config, build the adapters, wire them into Nest, start listening. */
async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ service: 'accounts-command', level: config.LOG_LEVEL });
  const pool = createPool(
    { connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE },
    log,
  );
  const applied = await runMigrations(pool, eventStoreMigrations);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

  const registry = createMetricsRegistry('accounts-command');
  const metrics = createCommandMetrics(registry);
  const store = new PgEventStore(pool, {
    maxBatch: config.APPEND_MAX_BATCH,
    maxInFlight: config.APPEND_MAX_IN_FLIGHT,
    maxQueued: config.APPEND_MAX_QUEUED,
    transientRetries: config.APPEND_TRANSIENT_RETRIES,
    idempotencyTtlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
    onTransientRetry: (error, attempt) => {
      metrics.appendRetries.inc();
      log.warn({ err: error, attempt }, 'group commit rolled back by a transient error; rerun');
    },
    onFlush: (appends, _events, ms) => {
      metrics.appendDuration.observe(ms / 1000);
      metrics.appendBatchSize.observe(appends);
    },
    // Test-only fault: die between COMMIT and the answer, before the relay can publish.
    afterCommit: config.FAULT_CRASH_AFTER_COMMIT
      ? () => process.kill(process.pid, 'SIGKILL')
      : undefined,
  });
  // Signed with a key derived from the internal token, which the query side shares.
  const tokens = consistencyTokens(config.INTERNAL_TOKEN);
  const handler = createAccountCommandHandler(store, tokens, {
    maxQueuedPerStream: config.COMMAND_MAX_QUEUED_PER_ACCOUNT,
  });
  const endpoint = new CommandEndpoint(handler, metrics);
  const purger = new IdempotencyPurger(pool, {
    ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
    intervalMs: config.IDEMPOTENCY_PURGE_INTERVAL_MS,
    onError: (error) => log.warn({ err: error }, 'purging expired idempotency records failed'),
    onPurged: (count) => log.info({ count }, 'expired idempotency records purged'),
  });

  const kafka = createKafkaClient({
    clientId: 'accounts-command',
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const relay = config.OUTBOX_RELAY
    ? new OutboxRelay({
        database: { connectionString: config.DATABASE_URL },
        kafka,
        topic: config.ACCOUNTS_EVENTS_TOPIC,
        topicSpec: eventTopicSpec(config.ACCOUNTS_EVENTS_TOPIC, config),
        statementTimeoutMs: config.OUTBOX_STATEMENT_TIMEOUT_MS,
        batchSize: config.OUTBOX_BATCH_SIZE,
        pollIntervalMs: config.OUTBOX_POLL_MS,
        log,
        onPublished: (events) => {
          const now = Date.now();
          for (const event of events)
            metrics.outboxLag.observe(
              (now - Date.parse(event.recordedAt ?? event.occurredAt)) / 1000,
            );
        },
      })
    : undefined;

  // skipMiddie: no Express-style Nest middleware here, so no middie hook on every request.
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT, skipMiddie: true });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(endpoint),
    adapter,
    {
      logger: false,
      // Body parsing is ours (registerJsonOnly): JSON only, empty bodies allowed, 400 on bad JSON.
      bodyParser: false,
    },
  );
  app.useGlobalFilters(new ProblemExceptionFilter(log));
  const fastify = app.getHttpAdapter().getInstance();
  registerCorrelation(fastify);
  registerJsonOnly(fastify, BODY_LIMIT);
  registerInternalAuth(fastify, config.INTERNAL_TOKEN);
  registerOutboxBacklogGauges(registry, () => outboxBacklog(pool));
  registerOpsRoutes(fastify, {
    registry,
    internalToken: config.INTERNAL_TOKEN,
    checks: {
      // Commands need only Postgres: they keep being accepted while Kafka is away.
      postgres: async () => void (await pool.query('SELECT 1')),
      outbox: async () => {
        const backlog = await outboxBacklog(pool);
        const status = relay?.status();
        const maxAgeMs = config.OUTBOX_MAX_AGE_SECONDS * 1000;
        if (maxAgeMs > 0 && backlog.oldestAgeMs > maxAgeMs) {
          throw new Error(
            `oldest outbox event is ${Math.round(backlog.oldestAgeMs / 1000)} s old, above OUTBOX_MAX_AGE_SECONDS=${config.OUTBOX_MAX_AGE_SECONDS}`,
          );
        }
        return {
          ...backlog,
          relay: status
            ? {
                leader: status.leader,
                published: status.published,
                lastError: status.lastError ?? null,
              }
            : 'disabled',
        };
      },
    },
  });
  relay?.start();
  purger.start();
  await app.listen(config.PORT, config.HOST);
  log.info({ port: config.PORT, relay: Boolean(relay) }, 'accounts-command listening');

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: draining requests, then the relay');
    await app.close();
    await purger.stop();
    await relay?.stop();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `accounts-command failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
