import { messageHeaders } from '@cqrs/events';
import type { KafkaMessage, Producer } from 'kafkajs';

export interface DeadLetter {
  readonly offset: string;
  readonly code: string;
  readonly reason: string;
  readonly message: KafkaMessage | undefined;
}

export interface DeadLetterPublisher {
  publish(topic: string, partition: number, letters: readonly DeadLetter[]): Promise<void>;
}

/** Rebuilds re-meet poison that is already on the DLQ topic: they record it in the table only. */
export const noDeadLetterTopic: DeadLetterPublisher = { publish: async () => undefined };

/**
 * Sends poison messages unchanged (key and value) to the group's dead-letter topic, with the
 * reason and the original position in headers, so a tool can inspect or re-drive them.
 */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly deadLetterTopic: string,
    private readonly consumerGroup: string,
  ) {}

  async publish(topic: string, partition: number, letters: readonly DeadLetter[]): Promise<void> {
    await this.producer.send({
      topic: this.deadLetterTopic,
      messages: letters.map((letter) => ({
        key: letter.message?.key ?? null,
        value: letter.message?.value ?? null,
        headers: {
          ...messageHeaders(letter.message),
          'dlq-reason-code': letter.code,
          'dlq-reason': letter.reason.slice(0, 1_000),
          'dlq-original-topic': topic,
          'dlq-original-partition': String(partition),
          'dlq-original-offset': letter.offset,
          'dlq-consumer-group': this.consumerGroup,
          'dlq-failed-at': new Date().toISOString(),
        },
      })),
    });
  }
}
