import { createPool } from '@cqrs/platform';
import { countingProjection, countingRuntime, testKafka } from './counting-projection.fixture';

/**
 * A projector process that dies by SIGKILL inside a chunk's transaction, after the projection
 * wrote and before the commit: the crash-mid-chunk runtime test starts it as a child process.
 * Arguments: database url, brokers (comma-separated), topic, group, schema.
 */
async function main(): Promise<void> {
  const [url, brokers, topic, groupId, schema] = process.argv.slice(2);
  if (!url || !brokers || !topic || !groupId || !schema) throw new Error('missing arguments');
  const pool = createPool({ connectionString: url, max: 4 }, { warn: () => undefined });
  const projection = countingProjection('counts');
  projection.afterWrite = (_tx, events) => {
    if (events.some((e) => e.streamId === 's1' && e.streamVersion === 3)) {
      process.kill(process.pid, 'SIGKILL');
    }
    return Promise.resolve();
  };
  const runtime = countingRuntime({
    kafka: testKafka(brokers.split(',')),
    pool,
    topic,
    groupId,
    schema,
    projection,
    chunkSize: 2,
    consumer: { sessionTimeout: 6_000, heartbeatInterval: 500, rebalanceTimeout: 6_000 },
  });
  await runtime.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
