import { Kafka, logLevel } from 'kafkajs';
import { uniqueId } from '@cqrs/testing';

export interface ReadMessage {
  key: string;
  eventId: string;
  streamVersion: number;
  value: string;
  partition: number;
  offset: string;
}

/** Reads a topic from the beginning until `count` messages arrived or the timeout passed. */
export async function readTopic(
  brokers: string[],
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const kafka = new Kafka({ clientId: 'topic-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueId('reader') });
  const seen: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          seen.push({
            key: m.key?.toString() ?? '',
            eventId: m.headers?.['event-id']?.toString() ?? '',
            streamVersion: Number(m.headers?.['stream-version']?.toString()),
            value: m.value?.toString() ?? '',
            partition: batch.partition,
            offset: m.offset,
          });
        }
        if (seen.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

/** Every stream's versions in the order the topic holds them (partition order = stream order). */
export function versionsByStream(messages: readonly ReadMessage[]): Map<string, number[]> {
  const ordered = [...messages].sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  const streams = new Map<string, number[]>();
  for (const m of ordered) streams.set(m.key, [...(streams.get(m.key) ?? []), m.streamVersion]);
  return streams;
}
