import type { Admin, ITopicConfig } from 'kafkajs';
import { ConfigResourceTypes } from 'kafkajs';

/** How a topic is created: every setting explicit, none left to the broker's defaults. */
export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  /** -1 keeps records forever: an event topic is the projections' source of truth. */
  retentionMs: number;
  minInsyncReplicas: number;
}

/** The topic settings every service reads from its environment (see topicEnv). */
export interface TopicSettings {
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
  KAFKA_MIN_INSYNC_REPLICAS: number;
  KAFKA_EVENTS_RETENTION_MS: number;
}

/** An event topic (retention from configuration, forever by default). */
export const eventTopicSpec = (topic: string, settings: TopicSettings): TopicSpec => ({
  topic,
  partitions: settings.KAFKA_TOPIC_PARTITIONS,
  replicationFactor: settings.KAFKA_REPLICATION_FACTOR,
  retentionMs: settings.KAFKA_EVENTS_RETENTION_MS,
  minInsyncReplicas: settings.KAFKA_MIN_INSYNC_REPLICAS,
});

export interface EnsureTopicsResult {
  /** Topics that did not exist when asked (created by this call, or by a racing process). */
  created: string[];
  /** Topics that existed with another retention.ms than asked: reported, never altered. */
  mismatched: { topic: string; retentionMs: string | undefined; wanted: number }[];
}

/**
 * Creates each topic that does not exist yet with its explicit settings (brokers run with
 * auto.create.topics.enable=false, so nothing else creates them), and reports existing topics
 * whose retention differs: an event topic that expires records loses events a rebuild needs.
 * Existing topics are not altered: changing retention or partitions of a live topic is an
 * operator's decision.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
): Promise<EnsureTopicsResult> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: false, // see waitForLeaders below
      topics: missing.map((s): ITopicConfig => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: [
          { name: 'retention.ms', value: String(s.retentionMs) },
          { name: 'min.insync.replicas', value: String(s.minInsyncReplicas) },
        ],
      })),
    });
    await waitForLeaders(
      admin,
      missing.map((s) => s.topic),
    );
  }
  // Every topic is checked, created ones too: another process may have created one first
  // (createTopics then leaves it as it was), with other settings.
  const present = specs;
  const mismatched: EnsureTopicsResult['mismatched'] = [];
  if (present.length > 0) {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((s) => ({
        type: ConfigResourceTypes.TOPIC,
        name: s.topic,
        configNames: ['retention.ms'],
      })),
    });
    for (const spec of present) {
      const resource = described.resources.find((r) => r.resourceName === spec.topic);
      const value = resource?.configEntries.find((e) => e.configName === 'retention.ms');
      if (value?.configValue !== String(spec.retentionMs)) {
        mismatched.push({
          topic: spec.topic,
          retentionMs: value?.configValue,
          wanted: spec.retentionMs,
        });
      }
    }
  }
  return { created: missing.map((s) => s.topic), mismatched };
}

/**
 * kafkajs's own waitForLeaders retries only LEADER_NOT_AVAILABLE, but right after a creation the
 * broker may still answer UNKNOWN_TOPIC_OR_PARTITION for a moment: wait through both.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const ready = metadata.topics.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      if (ready && metadata.topics.length === topics.length) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `topics ${topics.join(', ')} have no leader after ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
  );
}
