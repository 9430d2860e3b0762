import { logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { NewEvent } from '@cqrs/events';
import type { ContextDescriptor, DomainError } from '@cqrs/context';
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
  createMetricsRegistry,
  createPool,
  eventTopicSpec,
  runMigrations,
  type Logger,
} from '@cqrs/platform';
import type { CommandServiceConfig } from '../config/command-service.config';
import { createContextCommandHandler } from '../handler/context-command.handler';
import { CommandEndpoint } from '../http/command-endpoint';
import type { CommandPreparer } from '../http/command-preparer';
import { createCommandMetrics, type CommandMetrics } from '../metrics/command-metrics';
import { registerOutboxBacklogGauges } from '../metrics/outbox-backlog.metrics';

/**
 * Everything a command service runs besides HTTP: the pool, the group-committing store with
 * the context's handler, the idempotency purger and the outbox relay. Built once at the
 * composition root; the Nest module starts and stops it with the application's lifecycle.
 */
export class CommandRuntime<Command> {
  private constructor(
    readonly pool: Pool,
    readonly registry: Registry,
    readonly metrics: CommandMetrics,
    readonly endpoint: CommandEndpoint<Command>,
    readonly purger: IdempotencyPurger,
    readonly relay: OutboxRelay | undefined,
    /** The aggregate's summary of a stream, exact, when the descriptor declares one. */
    readonly summarize: ((streamId: string) => Promise<object | undefined>) | undefined,
  ) {}

  /** Migrates the event store (every instance may: migrations take a lock), then builds. */
  static async create<Command, State, Event extends NewEvent, Error extends DomainError>(
    context: ContextDescriptor<Command, State, Event, Error>,
    config: CommandServiceConfig,
    log: Logger,
    prepare?: CommandPreparer<Command>,
  ): Promise<CommandRuntime<Command>> {
    const pool = createPool(
      { connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE },
      log,
    );
    try {
      const applied = await runMigrations(pool, eventStoreMigrations);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    } catch (error) {
      await pool.end();
      throw error;
    }
    const registry = createMetricsRegistry(config.service);
    const metrics = createCommandMetrics(registry);
    registerOutboxBacklogGauges(registry, () => outboxBacklog(pool));
    const store = createStore(pool, config, metrics, log);
    // Signed with a key derived from the internal token, which the query side shares.
    const tokens = consistencyTokens(config.INTERNAL_TOKEN);
    const handler = createContextCommandHandler(context, store, tokens, {
      maxQueuedPerStream: config.maxQueuedPerStream,
    });
    const purger = new IdempotencyPurger(pool, {
      ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
      intervalMs: config.IDEMPOTENCY_PURGE_INTERVAL_MS,
      onError: (error) => log.warn({ err: error }, 'purging expired idempotency records failed'),
      onPurged: (count) => log.info({ count }, 'expired idempotency records purged'),
    });
    const relay = config.OUTBOX_RELAY ? createRelay(config, metrics, log) : undefined;
    const endpoint = new CommandEndpoint(handler, metrics, prepare);
    const { summary } = context.aggregate;
    const summarize =
      summary && (async (streamId: string) => summary.of((await handler.current(streamId)).state));
    return new CommandRuntime(pool, registry, metrics, endpoint, purger, relay, summarize);
  }

  start(): void {
    this.relay?.start();
    this.purger.start();
  }

  /** After the HTTP server drained: no request can need the pool any more. */
  async stop(): Promise<void> {
    await this.purger.stop();
    await this.relay?.stop();
    await this.pool.end();
  }
}

function createStore(
  pool: Pool,
  config: CommandServiceConfig,
  metrics: CommandMetrics,
  log: Logger,
): PgEventStore {
  return new PgEventStore(pool, {
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
}

function createRelay(
  config: CommandServiceConfig,
  metrics: CommandMetrics,
  log: Logger,
): OutboxRelay {
  const kafka = createKafkaClient({
    clientId: config.service,
    brokers: config.KAFKA_BROKERS,
    // The relay logs its own publish failures; kafkajs's lines (retries of the same failure)
    // stay off, and go through the service's logger should the level ever be raised.
    logLevel: logLevel.NOTHING,
    log,
  });
  return new OutboxRelay({
    database: { connectionString: config.DATABASE_URL },
    kafka,
    topic: config.eventsTopic,
    topicSpec: eventTopicSpec(config.eventsTopic, config),
    statementTimeoutMs: config.OUTBOX_STATEMENT_TIMEOUT_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_MS,
    log,
    onPublished: (events) => {
      const now = Date.now();
      for (const event of events)
        metrics.outboxLag.observe((now - Date.parse(event.recordedAt ?? event.occurredAt)) / 1000);
    },
  });
}
