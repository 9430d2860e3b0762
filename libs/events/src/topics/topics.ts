/**
 * Kafka topic names live here only, so producers, consumers and test fixtures cannot drift.
 * Names use Kafka's legal characters; one events topic per bounded context.
 */
const TOPIC_PART = /^[a-zA-Z0-9_-]+$/;
const MAX_TOPIC_LENGTH = 249;

function checkedTopic(name: string): string {
  if (name.length > MAX_TOPIC_LENGTH) throw new Error(`topic name too long: ${name}`);
  return name;
}

/** `ledger.<context>.events`: the topic a bounded context's outbox relay publishes to. */
export function eventTopic(context: string): string {
  if (!TOPIC_PART.test(context)) throw new Error(`invalid bounded context name: ${context}`);
  return checkedTopic(`ledger.${context}.events`);
}

/**
 * One dead-letter topic per (topic, consumer group): a poison message for one projection must
 * not be replayed into, or hidden from, another group reading the same topic.
 */
export function deadLetterTopic(topic: string, consumerGroup: string): string {
  if (!/^[a-zA-Z0-9._-]+$/.test(topic)) throw new Error(`invalid topic name: ${topic}`);
  if (!/^[a-zA-Z0-9._-]+$/.test(consumerGroup)) {
    throw new Error(`invalid consumer group for a topic name: ${consumerGroup}`);
  }
  return checkedTopic(`${topic}.dlq.${consumerGroup}`);
}

export const topics = {
  accountEvents: eventTopic('accounts'),
} as const;
