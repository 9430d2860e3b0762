import { deleteTopicsByPrefix, testRunId } from '../fixtures/test-topics';
import type { ResolvedInfra } from '../infra/resolve-infra';

/**
 * Deletes this run's test topics (the broker may outlive the run), then stops what the global
 * setup started; infrastructure found running is left alone.
 */
export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as { __INFRA__?: ResolvedInfra }).__INFRA__;
  if (infra) {
    const prefix = `test.${testRunId()}.`;
    try {
      const deleted = await deleteTopicsByPrefix(infra.kafka.brokers, prefix);
      process.stderr.write(`[infra] deleted ${deleted} test topics (${prefix}*)\n`);
    } catch (error) {
      process.stderr.write(`[infra] could not delete the run's test topics: ${String(error)}\n`);
    }
  }
  await infra?.stop();
}
