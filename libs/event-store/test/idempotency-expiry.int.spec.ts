import { randomUUID } from 'node:crypto';
import { IdempotencyPurger, PgEventStore } from '@cqrs/event-store';
import { testInfra } from '@cqrs/testing';
import {
  eventStoreDatabase,
  pendingEvent,
  type EventStoreFixture,
} from './support/event-store-fixture';

/** Idempotency records hold their key for a TTL, then the key is free and the record purged. */
const infra = testInfra();
let fx: EventStoreFixture;
const TTL_SECONDS = 3_600;

beforeAll(async () => {
  fx = await eventStoreDatabase(infra.databaseUrl, 'idempotency-expiry');
});
afterAll(() => fx.close());

const record = (key: string, hash: string) => ({
  scope: 'alice',
  key,
  requestHash: hash,
  status: 200,
  response: { hash },
});

/** Ages a record as if it had been written `seconds` ago. */
const age = (key: string, seconds: number) =>
  fx.pool.query(
    `UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $2) WHERE key = $1`,
    [key, seconds],
  );

const keyCount = async (keys: string[]): Promise<number> =>
  (
    await fx.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM idempotency_keys WHERE key = ANY ($1)',
      [keys],
    )
  ).rows[0]!.n;

it('frees a key after its TTL: lookups ignore the old record and a new command takes it over', async () => {
  const store = new PgEventStore(fx.pool, { idempotencyTtlSeconds: TTL_SECONDS });
  const key = randomUUID();
  const first = `acc-${randomUUID()}`;
  await store.append({
    streamId: first,
    expectedVersion: 0,
    events: [pendingEvent()],
    idempotency: record(key, 'old'),
  });
  // Within the TTL the key is taken.
  const second = `acc-${randomUUID()}`;
  expect(
    await store.append({
      streamId: second,
      expectedVersion: 0,
      events: [pendingEvent()],
      idempotency: record(key, 'new'),
    }),
  ).toEqual({ ok: false, reason: 'idempotency-key-taken' });

  await age(key, TTL_SECONDS + 1);
  expect(await store.findIdempotencyRecord('alice', key)).toBeUndefined();
  expect(
    await store.append({
      streamId: second,
      expectedVersion: 0,
      events: [pendingEvent()],
      idempotency: record(key, 'new'),
    }),
  ).toEqual({ ok: true, nextVersion: 1 });
  expect(await store.findIdempotencyRecord('alice', key)).toMatchObject({ requestHash: 'new' });
  expect(await keyCount([key])).toBe(1);
});

it('purges expired records in the background and keeps live ones', async () => {
  const store = new PgEventStore(fx.pool, { idempotencyTtlSeconds: TTL_SECONDS });
  const expired = Array.from({ length: 7 }, () => randomUUID());
  const live = Array.from({ length: 3 }, () => randomUUID());
  for (const key of [...expired, ...live]) {
    await store.append({
      streamId: `acc-${randomUUID()}`,
      expectedVersion: 0,
      events: [pendingEvent()],
      idempotency: record(key, 'h'),
    });
  }
  for (const key of expired) await age(key, TTL_SECONDS + 60);
  await age(live[0]!, TTL_SECONDS - 60); // old, but not expired

  const purged: number[] = [];
  const purger = new IdempotencyPurger(fx.pool, {
    ttlSeconds: TTL_SECONDS,
    intervalMs: 50,
    batchSize: 3, // several batches for 7 rows
    onPurged: (count) => purged.push(count),
  });
  purger.start();
  try {
    const deadline = Date.now() + 10_000;
    while ((await keyCount(expired)) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    await purger.stop();
  }
  process.stdout.write(`purged per run: ${JSON.stringify(purged)}\n`);
  expect(await keyCount(expired)).toBe(0);
  expect(await keyCount(live)).toBe(3);
  expect(purged.reduce((a, b) => a + b, 0)).toBe(7);
});
