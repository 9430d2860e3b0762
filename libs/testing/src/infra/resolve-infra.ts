import { dockerAvailable, startKafkaContainer, startPostgresContainer } from './docker-infra';
import type { InfraSettings } from './infra-settings';
import type { KafkaEndpoint, Logger, PostgresEndpoint } from './infra.types';
import { ensureLocalKafka } from './local-kafka';
import { ensureLocalPostgres } from './local-postgres';

export interface ResolvedInfra {
  kafka: KafkaEndpoint;
  postgres: PostgresEndpoint;
  /** Stops only what this resolution started (containers, or a broker it launched). */
  stop: () => Promise<void>;
}

const external = async (): Promise<void> => undefined;

/**
 * Resolution order, per dependency: addresses given by the environment (KAFKA_BROKERS,
 * DATABASE_URL) -> a reachable Docker engine (testcontainers) -> local processes (the real
 * Kafka broker run with java, the machine's PostgreSQL). INFRA_MODE=docker|local forces a path.
 */
export async function resolveInfra(settings: InfraSettings, log: Logger): Promise<ResolvedInfra> {
  const useDocker =
    settings.mode === 'docker' ||
    (settings.mode === 'auto' &&
      (!settings.kafkaBrokers || !settings.databaseUrl) &&
      (await dockerAvailable(settings.dockerHost)));
  if (settings.mode === 'docker' && !(await dockerAvailable(settings.dockerHost))) {
    throw new Error(
      'INFRA_MODE=docker but no Docker engine answers (DOCKER_HOST or /var/run/docker.sock).',
    );
  }

  let kafka: KafkaEndpoint;
  if (settings.kafkaBrokers)
    kafka = { brokers: settings.kafkaBrokers, source: 'environment', stop: external };
  else if (useDocker) kafka = await startKafkaContainer();
  else {
    const local = await ensureLocalKafka({
      stateDir: settings.stateDir,
      port: settings.localKafkaPort,
      controllerPort: settings.localKafkaControllerPort,
      log,
    });
    // A broker found running belongs to whoever started it; leave it up.
    kafka = local.reused ? { ...local, stop: external } : local;
  }

  let postgres: PostgresEndpoint;
  try {
    if (settings.databaseUrl)
      postgres = { url: settings.databaseUrl, source: 'environment', stop: external };
    else if (useDocker) postgres = await startPostgresContainer();
    else
      postgres = await ensureLocalPostgres({
        stateDir: settings.stateDir,
        machineUrl: settings.localPostgresUrl,
        privatePort: settings.localPostgresPort,
        log,
      });
  } catch (error) {
    await kafka.stop();
    throw error;
  }

  return {
    kafka,
    postgres,
    stop: async () => {
      await Promise.allSettled([kafka.stop(), postgres.stop()]);
    },
  };
}
