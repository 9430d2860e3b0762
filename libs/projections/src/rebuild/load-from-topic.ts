import type { EventEnvelope } from '@cqrs/events';
import { consumerSettings } from '@cqrs/platform';
import type { Kafka } from 'kafkajs';
import type { BulkLoader } from './bulk-loader';

export interface TopicTarget {
  partition: number;
  /** The partition's high watermark when the rebuild started: the load ends there. */
  high: string;
}

/**
 * Feeds the whole topic, from offset 0 up to `targets`, into `loader` through a throw-away
 * consumer group. Resolves once every partition reached its target; rejects when the loader
 * fails or the consumer gives up. `progress` is called every `intervalMs` with the messages
 * consumed so far.
 */
export async function loadFromTopic<E extends EventEnvelope>(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  targets: readonly TopicTarget[];
  loader: BulkLoader<E>;
  intervalMs: number;
  progress: (consumed: number) => void;
}): Promise<number> {
  const { loader, targets } = options;
  const consumed = (): number =>
    targets.reduce(
      (sum, t) => sum + Math.min(Number(loader.nextOffset(t.partition)), Number(t.high)),
      0,
    );
  const caughtUp = (): boolean =>
    targets.every((t) => loader.nextOffset(t.partition) >= BigInt(t.high));
  if (caughtUp()) return 0;

  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    ...consumerSettings(),
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 250,
  });
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) settle?.reject(event.payload.error);
  });
  const ticker = setInterval(() => options.progress(consumed()), options.intervalMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        try {
          await loader.accept(batch.partition, batch.messages);
        } catch (error) {
          settle?.reject(error);
          throw error;
        }
        if (caughtUp()) settle?.resolve();
        await payload.heartbeat();
      },
    });
    await done;
    return consumed();
  } finally {
    clearInterval(ticker);
    await consumer.disconnect().catch(() => undefined);
  }
}
