import { accountEventRegistry } from '@cqrs/events';
import { rebuildProjection } from '@cqrs/projections';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { listAccounts } from '../src/list-accounts/list-accounts.query';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  quietLog,
  readAccounts,
  startRuntime,
  testKafka,
  transactionCount,
  waitForCheckpoints,
  projectorTestbed,
} from './support/projector-harness.fixture';

/** Blue/green rebuild next to a running projector, with queries served throughout. */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const schema = 'rm';
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-rebuild', 10);

jest.setTimeout(120_000);

it('rebuilds into a fresh schema, swaps it in atomically, and equals the live read model', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('rebuild');
  const groupId = uniqueId('rebuild');
  await createTopic(kafka, topic);
  const projection = await migrated(pool, db.url, schema);
  const events = generateAccountEvents({
    accounts: 500,
    eventsPerAccount: 12,
    closeSome: true,
    owner: () => 'owner-1',
  });
  const [early, late] = [events.slice(0, 5_000), events.slice(5_000)];
  await produce(producer, topic, early);
  const live = startRuntime({ kafka, pool, topic, groupId, schema, projection, chunkSize: 500 });
  await live.start();
  await waitForCheckpoints(pool, schema, topic, early.length);
  const before = await readAccounts(pool, schema);

  // Queries keep being answered (and never see an empty or half-built read model).
  let queries = 0;
  let failures = 0;
  let rebuilding = true;
  const reader = (async () => {
    while (rebuilding) {
      try {
        const page = await listAccounts(pool, schema, 'owner-1', 100, undefined);
        if (page.items.length === 100) queries += 1;
        else failures += 1;
      } catch {
        failures += 1;
      }
    }
  })();
  const lines: string[] = [];
  const rebuilt = rebuildProjection({
    kafka,
    pool,
    topic,
    groupId,
    liveSchema: schema,
    projection,
    decode: (raw) => accountEventRegistry.parseEventJson(raw),
    log: quietLog,
    progress: (line) => lines.push(line),
    progressIntervalMs: 100,
    chunkSize: 1_000,
  });
  // New events keep arriving during the rebuild; the live projector applies them either side
  // of the swap (after it, by resuming from the rebuilt checkpoints).
  await produce(producer, topic, late, 200);
  const report = await rebuilt;
  rebuilding = false;
  await reader;

  expect(report.events).toBeGreaterThanOrEqual(early.length);
  expect(lines.some((l) => l.includes('events/s'))).toBe(true);
  expect(queries).toBeGreaterThan(0);
  expect(failures).toBe(0);
  expect(before).toEqual(foldExpected(early));

  await waitForCheckpoints(pool, schema, topic, events.length);
  await new Promise((r) => setTimeout(r, 300));
  await live.stop();
  expect(await readAccounts(pool, schema)).toEqual(foldExpected(events));
  expect(await transactionCount(pool, schema)).toBe(
    events.filter((e) => e.type.startsWith('Money')).length,
  );
  const schemas = await pool.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm%'`,
  );
  expect(schemas.rows.map((r) => r.nspname)).toEqual(['rm']);
});
