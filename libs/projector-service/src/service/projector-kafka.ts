import {
  createKafkaClient,
  ensureTopics,
  eventTopicSpec,
  type Logger,
  type TopicSettings,
  type TopicSpec,
} from '@cqrs/platform';
import type { ProjectorLogger } from '@cqrs/projections';
import type { Kafka } from 'kafkajs';
import type { ProjectorServiceConfig } from '../config/projector-service.config';

type ProjectorTopicConfig = TopicSettings & Pick<ProjectorServiceConfig, 'eventsTopic'>;

/** kafkajs's own lines (rebalances, broker retries) go through the service's logger. */
export const createProjectorKafka = (
  clientId: string,
  config: Pick<ProjectorServiceConfig, 'KAFKA_BROKERS'>,
  log: Logger,
): Kafka => createKafkaClient({ clientId, brokers: config.KAFKA_BROKERS, log });

/**
 * The event topic, created with its explicit settings when the projector starts before the
 * relay ever published (brokers do not auto-create topics).
 */
export async function ensureEventTopic(
  kafka: Kafka,
  config: ProjectorTopicConfig,
  logger: Logger,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { mismatched } = await ensureTopics(admin, [eventTopicSpec(config.eventsTopic, config)]);
    // Not altered here (an operator's decision), but a rebuild will refuse once records expire.
    for (const topic of mismatched)
      logger.warn(topic, 'event topic retention differs from the configured one');
  } finally {
    await admin.disconnect();
  }
}

/** The dead-letter topic keeps its records like the event topic it shadows. */
export const deadLetterTopicSpecOf = (config: ProjectorTopicConfig): Omit<TopicSpec, 'topic'> =>
  eventTopicSpec(config.eventsTopic, config);

export const projectorLog = (logger: Logger): ProjectorLogger => ({
  info: (obj, msg) => logger.info(obj, msg),
  warn: (obj, msg) => logger.warn(obj, msg),
  error: (obj, msg) => logger.error(obj, msg),
});
