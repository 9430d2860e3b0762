import { startService, testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  produce,
  readAccounts,
  testKafka,
  transactionCount,
  waitForCheckpoints,
  projectorTestbed,
} from './support/projector-harness.fixture';

/**
 * SIGKILL the projector process (ROLE=projector) mid-batch, several times, while events keep
 * arriving; after a restart the read model equals the fold of all events with `evolve`.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const schema = 'accounts_rm';
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-crash', 4);

jest.setTimeout(150_000);

it('survives repeated SIGKILLs mid-batch with an exact read model', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('crash');
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN: 'crash-test-internal-token',
    ACCOUNTS_EVENTS_TOPIC: topic,
    KAFKA_GROUP_ID: uniqueId('crash'),
    ROLE: 'projector',
    PROJECTOR_CHUNK_SIZE: '500',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
  };
  await createTopic(kafka, topic);
  const events = generateAccountEvents({ accounts: 2_000, eventsPerAccount: 30, closeSome: true });
  const slices = 4;
  const size = Math.ceil(events.length / slices);
  const progress: number[] = [];

  for (let round = 0; round < slices; round++) {
    // Under load: each round adds events, then kills the projector while it works through them.
    await produce(producer, topic, events.slice(round * size, (round + 1) * size), 2_000);
    const service = await startService('accounts-projector', env, { readyPath: '/health/live' });
    await new Promise((r) => setTimeout(r, 1_200 + round * 300));
    expect(await service.stop('SIGKILL')).toBeNull();
    const { rows } = await pool.query<{ n: string | null }>(
      `SELECT sum(next_offset)::text AS n FROM ${schema}.projector_checkpoints`,
    );
    progress.push(Number(rows[0]?.n ?? 0));
  }
  // Killed mid-way at least once (not before starting, not after finishing everything).
  expect(progress.some((n) => n > 0 && n < events.length)).toBe(true);

  const last = await startService('accounts-projector', env, { readyPath: '/health/live' });
  await waitForCheckpoints(pool, schema, topic, events.length, 90_000);
  expect(await last.stop('SIGTERM')).toBe(0);
  expect(await readAccounts(pool, schema)).toEqual(foldExpected(events));
  expect(await transactionCount(pool, schema)).toBe(
    events.filter((e) => e.type.startsWith('Money')).length,
  );
});
