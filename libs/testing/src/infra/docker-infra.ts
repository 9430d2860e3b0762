import fs from 'node:fs';
import http from 'node:http';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, Wait } from 'testcontainers';
import { KAFKA_CLUSTER_ID, KAFKA_IMAGE, POSTGRES_IMAGE } from '../versions';
import type { KafkaEndpoint, PostgresEndpoint } from './infra.types';
import { freePort, kafkaAnswers, waitUntil } from './probe';

/** True when a Docker engine answers /_ping (DOCKER_HOST or the default socket). */
export function dockerAvailable(dockerHost: string | undefined): Promise<boolean> {
  let target: http.RequestOptions;
  if (dockerHost?.startsWith('tcp://') || dockerHost?.startsWith('http://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else {
    const socketPath = dockerHost?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock';
    if (!fs.existsSync(socketPath)) return Promise.resolve(false);
    target = { socketPath };
  }
  return new Promise((resolve) => {
    const req = http.get({ ...target, path: '/_ping', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/**
 * apache/kafka through testcontainers. @testcontainers/kafka (11.x and 12.0.x) only knows the
 * Confluent images and would start apache/kafka 4.x in ZooKeeper mode, so the generic
 * container gets the same KRaft settings as docker-compose.yml. The host port is chosen first
 * because the broker must advertise the address clients reach it on.
 */
export async function startKafkaContainer(): Promise<KafkaEndpoint> {
  const port = await freePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      CLUSTER_ID: KAFKA_CLUSTER_ID,
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Transitioning from RECOVERY to RUNNING/))
    .withStartupTimeout(120_000)
    .start();
  const brokers = [`127.0.0.1:${port}`];
  await waitUntil('Kafka container', () => kafkaAnswers(brokers), { timeoutMs: 60_000 });
  return { brokers, source: 'testcontainers', stop: async () => void (await container.stop()) };
}

export async function startPostgresContainer(): Promise<PostgresEndpoint> {
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('postgres')
    .start();
  return {
    url: container.getConnectionUri(),
    source: 'testcontainers',
    stop: async () => void (await container.stop()),
  };
}
