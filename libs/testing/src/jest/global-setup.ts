import { testRunId } from '../fixtures/test-topics';
import { infraSettingsFromEnv } from '../infra/infra-settings';
import { resolveInfra, type ResolvedInfra } from '../infra/resolve-infra';

/**
 * Resolves Kafka and Postgres once per jest run (env -> Docker -> local) and hands the
 * addresses to the workers through the environment, which they inherit.
 */
export default async function globalSetup(): Promise<void> {
  const log = (message: string): void => void process.stderr.write(`[infra] ${message}\n`);
  const infra = await resolveInfra(infraSettingsFromEnv(process.env), log);
  process.env['KAFKA_BROKERS'] = infra.kafka.brokers.join(',');
  process.env['DATABASE_URL'] = infra.postgres.url;
  testRunId(); // sets TEST_RUN_ID here, so every worker names its topics under the same run
  log(
    `Kafka ${infra.kafka.brokers.join(',')} (${infra.kafka.source}), Postgres ${redact(infra.postgres.url)} (${infra.postgres.source})`,
  );
  (globalThis as { __INFRA__?: ResolvedInfra }).__INFRA__ = infra;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
