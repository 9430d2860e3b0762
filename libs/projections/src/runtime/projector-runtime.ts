import type { EventEnvelope } from '@cqrs/events';
import type {
  Admin,
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import type { Pool } from 'pg';
import { consumerSettings, ensureTopics, type TopicSpec } from '@cqrs/platform';
import type { DecodeEvent, Projection } from '../projection.types';
import { checkedProjectionName, positionsChannel } from '../schema/projector-tables.sql';
import type { ProjectorObserver } from './projector-observer';
import { ChunkApplier, type ChunkOutcome } from './chunk-applier';
import { correlationIdOf, correlationIdsOf, logSetAside } from './chunk-log';
import { decodeMessage } from './decode-message';
import { KafkaDeadLetterPublisher, noDeadLetterTopic } from './dead-letter-publisher';
import { assertEventsRetained, EventsLostError, readCheckpoints } from './retained-events';
import { describeError, isTransientError } from './transient-errors';

export interface ProjectorLogger {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
}

export interface ProjectorRuntimeOptions<E extends EventEnvelope> {
  kafka: Kafka;
  pool: Pool;
  topic: string;
  groupId: string;
  /** Schema of the read model and of the runtime's tables (see migrateProjectorTables). */
  schema: string;
  projection: Projection<E>;
  decode: DecodeEvent<E>;
  log: ProjectorLogger;
  /** ProjectorMetrics in the service; a benchmark's own observer elsewhere. */
  metrics?: ProjectorObserver;
  /** Where poison goes; null records it in the table only (rebuilds). */
  deadLetterTopic: string | null;
  /** How the dead-letter topic is created when missing (brokers do not auto-create). */
  deadLetterTopicSpec?: Omit<TopicSpec, 'topic'>;
  /** Messages per transaction; heartbeats go between chunks. */
  chunkSize?: number;
  /** Tries of a chunk failing deterministically before the poison event is isolated. */
  maxAttempts?: number;
  /** pg_notify after each committed chunk (off for rebuilds into a shadow schema). */
  notify?: boolean;
  /**
   * Partitions applied at once, each in its own transaction (a stream lives in one partition,
   * so they touch disjoint rows). More than one keeps a slow commit on one partition from
   * delaying the others' events; the pool needs this many connections to spare.
   */
  partitionsConcurrently?: number;
  consumer?: Partial<ConsumerConfig>;
}

/** What a host needs of a running projection (ProjectorRuntime, whatever its event type). */
export interface RunningProjection {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): ProjectorHealth;
}

export interface ProjectorHealth {
  running: boolean;
  joined: boolean;
  lastError: string | undefined;
}

/** How often, at most, a partition's checkpoint is mirrored into Kafka's group offsets. */
const OFFSET_MIRROR_INTERVAL_MS = 1_000;

interface OffsetMirror {
  topic: string;
  partition: number;
  /** The newest checkpoint not sent yet. */
  pending: string | undefined;
  inFlight: Promise<void> | undefined;
  timer?: NodeJS.Timeout;
  lastSentAt: number;
}

const namedLog = (log: ProjectorLogger, projection: string): ProjectorLogger => ({
  info: (obj, msg) => log.info({ projection, ...obj }, msg),
  warn: (obj, msg) => log.warn({ projection, ...obj }, msg),
  error: (obj, msg) => log.error({ projection, ...obj }, msg),
});

class Stopping extends Error {
  override readonly name = 'ProjectorStopping';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for `work`, but at most `ms`; the timer does not outlive it (a bare sleep in the race
 * kept a stopped projector's process alive for another second).
 */
async function atMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Kafka eachBatch -> Postgres, exactly-once in effect. See ChunkApplier for the transaction and
 * planBatch for ordering, dedupe and the park policy. This class owns the consumer, the
 * retry/backoff policy, poison isolation and graceful stop.
 */
export class ProjectorRuntime<E extends EventEnvelope> implements RunningProjection {
  private consumer: Consumer;
  /** Checkpoints being mirrored into Kafka's group offsets, by topic:partition (commitToKafka). */
  private readonly offsetMirrors = new Map<string, OffsetMirror>();
  private readonly admin: Admin;
  private producer: Producer | undefined;
  private readonly applier: ChunkApplier<E>;
  /** Per partition, the checkpoint this process last committed (cleared on every rebalance). */
  private readonly expected = new Map<number, string>();
  private readonly chunkSize: number;
  private readonly maxAttempts: number;
  private stopping = false;
  /** Every line names the projection: one process runs several. */
  private readonly log: ProjectorLogger;
  private readonly state: ProjectorHealth = { running: false, joined: false, lastError: undefined };

  constructor(private readonly options: ProjectorRuntimeOptions<E>) {
    const { kafka } = options;
    this.log = namedLog(options.log, checkedProjectionName(options.projection.name));
    this.chunkSize = options.chunkSize ?? 2_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.consumer = this.createConsumer();
    this.admin = kafka.admin();
    if (options.deadLetterTopic !== null) {
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    }
    this.applier = new ChunkApplier<E>({
      pool: options.pool,
      schema: options.schema,
      projection: options.projection,
      decode: options.decode,
      channel: options.notify === false ? undefined : positionsChannel(options.projection.name),
      deadLetters:
        this.producer && options.deadLetterTopic !== null
          ? new KafkaDeadLetterPublisher(this.producer, options.deadLetterTopic, options.groupId)
          : noDeadLetterTopic,
    });
  }

  get name(): string {
    return this.options.projection.name;
  }

  health(): ProjectorHealth {
    return { ...this.state };
  }

  /**
   * Refuses (EventsLostError) when the topic no longer holds the events the read model needs:
   * a fresh projector would otherwise start from whatever the log still has.
   */
  async start(): Promise<void> {
    const { options } = this;
    await this.admin.connect();
    await assertEventsRetained(
      this.admin,
      options.topic,
      await readCheckpoints(options.pool, options.schema, options.projection.name, options.topic),
    );
    if (this.producer) {
      await this.producer.connect();
      if (options.deadLetterTopic !== null) {
        const spec = options.deadLetterTopicSpec;
        await ensureTopics(this.admin, [
          {
            topic: options.deadLetterTopic,
            partitions: spec?.partitions ?? 3,
            replicationFactor: spec?.replicationFactor ?? 1,
            retentionMs: spec?.retentionMs ?? -1,
            minInsyncReplicas: spec?.minInsyncReplicas ?? 1,
          },
        ]);
      }
    }
    await this.runConsumer();
  }

  private createConsumer(): Consumer {
    return this.options.kafka.consumer({
      groupId: this.options.groupId,
      ...consumerSettings(),
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 250,
      ...this.options.consumer,
    });
  }

  private async runConsumer(): Promise<void> {
    const { consumer, options } = this;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.expected.clear();
      this.state.joined = true;
      this.log.info({ assignment: event.payload.memberAssignment }, 'projector joined its group');
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.state.lastError = describeError(event.payload.error);
      this.state.joined = false;
      this.log.error({ err: this.state.lastError }, 'projector consumer crashed');
      if (!event.payload.restart) {
        this.state.running = false;
        // kafkajs gave up (e.g. the broker was away longer than its retries): start afresh.
        if (!this.stopping) void this.restartConsumer(consumer);
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 3,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.state.running = true;
  }

  /**
   * Replaces a consumer kafkajs will not restart, retrying until it runs. The backoff is capped
   * at 1 s: the broker answering again must not wait behind a long sleep.
   */
  private async restartConsumer(dead: Consumer): Promise<void> {
    await dead.disconnect().catch(() => undefined);
    for (let attempt = 0; !this.stopping; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(1_000, 100 * 2 ** attempt)));
      if (this.stopping) return;
      this.consumer = this.createConsumer();
      this.expected.clear();
      try {
        await this.runConsumer();
        this.log.info({ attempt }, 'projector consumer restarted');
        return;
      } catch (error) {
        this.state.lastError = describeError(error);
        await this.consumer.disconnect().catch(() => undefined);
      }
    }
  }

  /** Finishes (or rolls back) the chunk in hand, leaves the group, closes the clients. */
  async stop(): Promise<void> {
    this.stopping = true;
    // Best effort and bounded: a broker that is away must not hold the shutdown.
    await atMost(this.flushMirrors(), 1_000);
    await this.consumer.disconnect().catch(() => undefined);
    this.state.running = false;
    this.state.joined = false;
    await Promise.allSettled([this.admin.disconnect(), this.producer?.disconnect()]);
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const { topic, partition } = batch;
    this.options.metrics?.recordBatch?.(partition, batch.messages.length);
    let committed: string | undefined;
    for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) break;
      const messages = batch.messages.slice(start, start + this.chunkSize);
      let outcome: ChunkOutcome;
      try {
        outcome = await this.applyChunk(topic, partition, messages, heartbeat);
      } catch (error) {
        if (error instanceof EventsLostError) return this.halt(error);
        throw error;
      }
      if (outcome.kind === 'moved') {
        this.log.info({ partition, to: outcome.to }, 'resuming from the stored checkpoint');
        this.expected.set(partition, outcome.to);
        this.consumer.seek({ topic, partition, offset: outcome.to });
        return;
      }
      const last = messages[messages.length - 1];
      if (last) payload.resolveOffset(last.offset);
      committed = outcome.nextOffset;
      await heartbeat();
    }
    if (committed !== undefined) this.commitToKafka(topic, partition, committed);
  }

  /**
   * Events the read model needs are gone from the log: no retry can bring them back, and
   * going on would build a read model with a hole. The consumer stops and stays stopped;
   * health (and so readiness) carries the reason until an operator acts.
   */
  private halt(error: EventsLostError): void {
    this.stopping = true;
    this.state.running = false;
    this.state.joined = false;
    this.state.lastError = error.message;
    this.log.error({ err: error.message }, 'projector halted: events lost');
    // Stopping the consumer waits for this batch handler, so it must not be awaited here.
    setImmediate(() => void this.consumer.stop().catch(() => undefined));
  }

  /**
   * Mirrors the checkpoint into Kafka's group offsets for tooling (lag in
   * kafka-consumer-groups, UIs). The checkpoint table is the truth, so this is never awaited
   * (a broker round trip per batch would delay the next fetch) and is sent at most once per
   * partition per OFFSET_MIRROR_INTERVAL_MS: under load small batches come hundreds of times a
   * second, and one commit each cost the broker and this process more than the tooling is worth.
   * Newer offsets collapse into the next commit; stop() sends what is left.
   */
  private commitToKafka(topic: string, partition: number, offset: string): void {
    const key = `${topic}:${partition}`;
    let mirror = this.offsetMirrors.get(key);
    if (mirror === undefined) {
      mirror = { topic, partition, pending: undefined, inFlight: undefined, lastSentAt: 0 };
      this.offsetMirrors.set(key, mirror);
    }
    mirror.pending = offset;
    this.scheduleMirror(mirror);
  }

  private scheduleMirror(mirror: OffsetMirror): void {
    if (mirror.inFlight !== undefined || mirror.timer !== undefined || this.stopping) return;
    const wait = mirror.lastSentAt + OFFSET_MIRROR_INTERVAL_MS - Date.now();
    if (wait > 0) {
      mirror.timer = setTimeout(() => {
        mirror.timer = undefined;
        this.scheduleMirror(mirror);
      }, wait);
      mirror.timer.unref();
      return;
    }
    const sent = this.sendMirror(mirror);
    if (sent) void sent.finally(() => this.scheduleMirror(mirror));
  }

  /** Commits the mirror's pending offset, if any; resolves when the broker answered. */
  private sendMirror(mirror: OffsetMirror): Promise<void> | undefined {
    const offset = mirror.pending;
    if (offset === undefined) return undefined;
    mirror.pending = undefined;
    mirror.lastSentAt = Date.now();
    mirror.inFlight = this.consumer
      .commitOffsets([{ topic: mirror.topic, partition: mirror.partition, offset }])
      .catch((error: unknown) =>
        this.log.warn({ err: describeError(error) }, 'offset commit failed'),
      )
      .finally(() => (mirror.inFlight = undefined));
    return mirror.inFlight;
  }

  /** On stop: the last offsets go to Kafka too, so tooling shows no stale lag afterwards. */
  private async flushMirrors(): Promise<void> {
    const sends = [...this.offsetMirrors.values()].map(async (mirror) => {
      clearTimeout(mirror.timer);
      mirror.timer = undefined;
      await mirror.inFlight;
      await this.sendMirror(mirror);
    });
    await Promise.allSettled(sends);
  }

  private async applyChunk(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    heartbeat: () => Promise<void>,
    poisoned?: { offset: string; reason: string },
  ): Promise<ChunkOutcome> {
    const decoded = messages.map((m) => decodeMessage(this.options.decode, m, poisoned));
    let transientFailures = 0;
    let deterministicFailures = 0;
    for (;;) {
      if (this.stopping) throw new Stopping('projector is stopping; chunk rolled back');
      const started = process.hrtime.bigint();
      try {
        const outcome = await this.applier.apply({
          topic,
          partition,
          messages,
          decoded,
          expected: this.expected.get(partition),
          logStart: () => this.logStart(topic, partition),
        });
        if (outcome.kind === 'applied') {
          this.expected.set(partition, outcome.nextOffset);
          const oldest = Number(messages[0]?.timestamp);
          this.options.metrics?.recordChunk(
            partition,
            outcome,
            started,
            Number.isFinite(oldest) && oldest > 0 ? oldest : undefined,
          );
          logSetAside(this.log, partition, messages, outcome.setAside);
        }
        this.state.lastError = undefined;
        return outcome;
      } catch (error) {
        if (this.stopping || error instanceof EventsLostError) throw error;
        this.state.lastError = describeError(error);
        if (isTransientError(error)) {
          transientFailures += 1;
          this.log.warn(
            {
              err: this.state.lastError,
              partition,
              transientFailures,
              correlationIds: correlationIdsOf(messages),
            },
            'transient failure; retrying chunk',
          );
          await this.pause(Math.min(100 * 2 ** transientFailures, 5_000), heartbeat);
          continue;
        }
        deterministicFailures += 1;
        if (deterministicFailures < this.maxAttempts) {
          await this.pause(50 * deterministicFailures, heartbeat);
          continue;
        }
        if (messages.length === 1 && poisoned === undefined) {
          const offset = messages[0]?.offset ?? '';
          this.log.error(
            {
              err: this.state.lastError,
              partition,
              offset,
              correlationId: correlationIdOf(messages[0]),
            },
            'handler fails deterministically; dead-lettering the event',
          );
          return this.applyChunk(topic, partition, messages, heartbeat, {
            offset,
            reason: this.state.lastError,
          });
        }
        if (messages.length === 1) throw error;
        return this.isolate(topic, partition, messages, heartbeat);
      }
    }
  }

  /** One message per transaction, so the failing one can be told apart and dead-lettered. */
  private async isolate(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<ChunkOutcome> {
    this.log.warn(
      { partition, size: messages.length, correlationIds: correlationIdsOf(messages) },
      'chunk keeps failing; isolating the poison event',
    );
    let last: ChunkOutcome | undefined;
    for (const message of messages) {
      last = await this.applyChunk(topic, partition, [message], heartbeat);
      if (last.kind === 'moved') return last;
      await heartbeat();
    }
    if (last === undefined) throw new Error('empty chunk');
    return last;
  }

  private async logStart(topic: string, partition: number): Promise<string> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.find((o) => o.partition === partition)?.low ?? '0';
  }

  /** Waits with heartbeats, so a long backoff does not cost the partition assignment. */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    for (let left = ms; left > 0 && !this.stopping; left -= 1_000) {
      await sleep(Math.min(left, 1_000));
      await heartbeat();
    }
  }
}
