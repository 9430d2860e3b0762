/**
 * pnpm infra:up | infra:down | infra:status
 *
 * Brings up the infrastructure the template needs on this machine and prints its addresses as
 * shell assignments (eval-able). A second `up` finds the running broker instead of failing;
 * `down` stops what `up` started and leaves nothing behind. The machine's own PostgreSQL is
 * used, never stopped.
 */
import { infraSettingsFromEnv } from '../infra/infra-settings';
import { localKafkaPid, stopLocalKafka } from '../infra/local-kafka';
import { stopLocalPostgres } from '../infra/local-postgres';
import { kafkaAnswers } from '../infra/probe';
import { resolveInfra } from '../infra/resolve-infra';

const log = (message: string): void => void process.stderr.write(`[infra] ${message}\n`);

async function main(command: string | undefined): Promise<number> {
  const settings = infraSettingsFromEnv(process.env);
  const kafkaOptions = {
    stateDir: settings.stateDir,
    port: settings.localKafkaPort,
    controllerPort: settings.localKafkaControllerPort,
    log,
  };
  switch (command) {
    case 'up': {
      if (settings.mode === 'docker') {
        log('For the Docker stack use `docker compose up`; infra:up manages local processes.');
        return 2;
      }
      const started = Date.now();
      // Local processes only: containers started here would die with this process.
      const infra = await resolveInfra({ ...settings, mode: 'local' }, log);
      log(
        `Ready in ${((Date.now() - started) / 1000).toFixed(1)} s (Kafka: ${infra.kafka.source}, Postgres: ${infra.postgres.source}).`,
      );
      process.stdout.write(
        `KAFKA_BROKERS=${infra.kafka.brokers.join(',')}\nDATABASE_URL=${infra.postgres.url}\n`,
      );
      return 0;
    }
    case 'down': {
      const kafka = await stopLocalKafka(kafkaOptions);
      const postgres = await stopLocalPostgres(settings);
      if (!kafka && !postgres) log('Nothing was running.');
      return 0;
    }
    case 'status': {
      const pid = localKafkaPid(settings);
      const brokers = [`127.0.0.1:${settings.localKafkaPort}`];
      const answers = pid !== undefined && (await kafkaAnswers(brokers));
      process.stdout.write(
        pid === undefined
          ? 'local Kafka: not running\n'
          : `local Kafka: pid ${pid} on ${brokers[0]} (${answers ? 'ready' : 'not answering'})\n`,
      );
      return pid === undefined || answers ? 0 : 1;
    }
    default:
      process.stderr.write('usage: infra.cli.ts up|down|status\n');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
