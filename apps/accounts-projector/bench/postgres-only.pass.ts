import type { EventRecord } from '@cqrs/events';
import { accountEventRegistry, type AccountEvent } from '@cqrs/events';
import {
  ChunkApplier,
  noDeadLetterTopic,
  positionsChannel,
  type DecodedMessage,
  type Projection,
  type ProjectorObserver,
} from '@cqrs/projections';
import { Partitioners, type KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';

export interface PostgresOnlyOptions {
  pool: Pool;
  schema: string;
  topic: string;
  projection: Projection<AccountEvent>;
  /** From splitByPartition, done before the timed part. */
  logs: readonly PartitionLog[];
  /** Events per transaction, as the projector's chunk size. */
  chunkSize: number;
  observer: ProjectorObserver;
}

export interface PartitionLog {
  partition: number;
  messages: KafkaMessage[];
  decoded: DecodedMessage<AccountEvent>[];
}

/**
 * What Postgres alone can do with this projection: the runtime's own ChunkApplier (so the very
 * statements the projector sends: checkpoint lock, stream versions, the projection's fold,
 * checkpoint update, notify; one transaction per chunk) over events decoded in memory
 * beforehand (splitByPartition), split into partitions as the producer's partitioner split them, each
 * partition applied in order and the partitions side by side, as the projector does. No Kafka,
 * no decoding in the timed part.
 */
export async function runPostgresOnly(
  options: PostgresOnlyOptions,
): Promise<{ events: number; seconds: number }> {
  const applier = new ChunkApplier<AccountEvent>({
    pool: options.pool,
    schema: options.schema,
    projection: options.projection,
    decode: (raw) => accountEventRegistry.parseEventJson(raw),
    channel: positionsChannel(options.projection.name),
    deadLetters: noDeadLetterTopic,
  });
  const started = Date.now();
  await Promise.all(
    options.logs.map(async ({ partition, messages, decoded }) => {
      let expected: string | undefined;
      for (let start = 0; start < messages.length; start += options.chunkSize) {
        const startedNs = process.hrtime.bigint();
        const outcome = await applier.apply({
          topic: options.topic,
          partition,
          messages: messages.slice(start, start + options.chunkSize),
          decoded: decoded.slice(start, start + options.chunkSize),
          expected,
          logStart: () => Promise.resolve('0'),
        });
        if (outcome.kind !== 'applied') throw new Error(`chunk not applied: ${outcome.kind}`);
        options.observer.recordChunk(partition, outcome, startedNs);
        expected = outcome.nextOffset;
      }
    }),
  );
  const events = options.logs.reduce((sum, log) => sum + log.messages.length, 0);
  return { events, seconds: (Date.now() - started) / 1000 };
}

/** The partitions' logs as Kafka holds them: same partitioner, offsets from 0 in send order. */
export function splitByPartition(
  events: readonly EventRecord[],
  partitions: number,
): PartitionLog[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  const logs = Array.from({ length: partitions }, (_, partition) => ({
    partition,
    messages: [] as KafkaMessage[],
    decoded: [] as DecodedMessage<AccountEvent>[],
  }));
  for (const stored of events) {
    const partition = partitioner({
      topic: 'postgres-only',
      partitionMetadata,
      message: { key: stored.streamId, value: null },
    });
    const log = logs[partition];
    if (log === undefined) throw new Error(`partitioner chose ${partition}`);
    const offset = String(log.messages.length);
    const parsed = accountEventRegistry.parseEvent(stored);
    if (!parsed.ok) throw new Error(`generated event does not parse: ${parsed.error.message}`);
    log.messages.push({
      offset,
      key: null,
      value: null,
      timestamp: '0',
      attributes: 0,
      headers: {},
    });
    log.decoded.push({ kind: 'event', offset, event: parsed.event });
  }
  return logs;
}
