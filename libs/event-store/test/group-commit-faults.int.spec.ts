import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { AppendQueueFullError, PgEventStore, type AppendResult } from '@cqrs/event-store';
import { testInfra } from '@cqrs/testing';
import {
  eventStoreDatabase,
  pendingEvent,
  type EventStoreFixture,
} from './support/event-store-fixture';

/** Group commit under database trouble: deadlocks, two writers, a full queue. */
const infra = testInfra();
let fx: EventStoreFixture;

jest.setTimeout(60_000);

beforeAll(async () => {
  fx = await eventStoreDatabase(infra.databaseUrl, 'group-commit-faults');
});
afterAll(() => fx.close());

const settle = async (appends: Promise<AppendResult>[]) => {
  const settled = await Promise.allSettled(appends);
  return {
    ok: settled.filter((s) => s.status === 'fulfilled' && s.value.ok).length,
    conflicts: settled.filter((s) => s.status === 'fulfilled' && !s.value.ok).length,
    errors: settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : [])),
  };
};

it('reruns a batch the database rolled back for a deadlock, and the batch lands', async () => {
  const retries: string[] = [];
  const store = new PgEventStore(fx.pool, {
    onTransientRetry: (error) => retries.push((error as { code?: string }).code ?? '?'),
  });
  const [a, b] = [`dl-a-${randomUUID()}`, `dl-b-${randomUUID()}`];
  // A rival session holds b's first version and will then want a's: a lock cycle with the batch.
  const rival = new Client({ connectionString: fx.db.url });
  await rival.connect();
  try {
    // The batch, not the rival, must be the victim: only the batch's deadlock check runs soon.
    await rival.query("SET deadlock_timeout = '20s'");
    await rival.query('BEGIN');
    const insert = (stream: string) =>
      rival.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
         VALUES ($1, $2, 1, 'Rival', 1, '{}', '{}', now())`,
        [randomUUID(), stream],
      );
    await insert(b);
    // a and b must go in ONE batch: a first append on z waits for a held lock, so both queue.
    const holder = new Client({ connectionString: fx.db.url });
    await holder.connect();
    const z = `dl-z-${randomUUID()}`;
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
       VALUES ($1, $2, 1, 'Holder', 1, '{}', '{}', now())`,
      [randomUUID(), z],
    );
    const first = store.append({ streamId: z, expectedVersion: 0, events: [pendingEvent()] });
    await new Promise((r) => setTimeout(r, 200));
    const batch = Promise.all([
      store.append({ streamId: a, expectedVersion: 0, events: [pendingEvent()] }),
      store.append({ streamId: b, expectedVersion: 0, events: [pendingEvent()] }),
    ]);
    await holder.query('ROLLBACK');
    await holder.end();
    expect(await first).toEqual({ ok: true, nextVersion: 1 });
    // Wait until the batch holds a's row and waits for b's.
    for (let waited = 0; ; waited += 20) {
      const { rows } = await fx.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%event_store_append%'`,
      );
      if (rows[0]!.n > 0) break;
      if (waited > 10_000) throw new Error('the batch never waited for the rival');
      await new Promise((r) => setTimeout(r, 20));
    }
    const rivalSecond = insert(a); // waits for the batch: a cycle; the batch is chosen as victim
    await new Promise((r) => setTimeout(r, 1_500)); // past the batch's deadlock_timeout (1 s)
    await rival.query('ROLLBACK').catch(() => undefined);
    await rivalSecond.catch(() => undefined);
    expect(await batch).toEqual([
      { ok: true, nextVersion: 1 },
      { ok: true, nextVersion: 1 },
    ]);
  } finally {
    await rival.end();
  }
  process.stdout.write(`deadlock reruns: ${JSON.stringify(retries)}\n`);
  // A rerun may race the rival's waiting insert for a's row and deadlock once more before the
  // rival rolls back: every rerun is for a deadlock, and there is at least one.
  expect(retries.length).toBeGreaterThanOrEqual(1);
  expect(new Set(retries)).toEqual(new Set(['40P01']));
});

it('two stores writing overlapping streams in opposite orders never deadlock', async () => {
  const STREAMS = 300;
  const ROUNDS = 8;
  const streams = Array.from({ length: STREAMS }, (_, i) => `x-${i}-${randomUUID()}`);
  const pools = [
    new Pool({ connectionString: fx.db.url, max: 2 }),
    new Pool({ connectionString: fx.db.url, max: 2 }),
  ];
  const retries: string[] = [];
  const stores = pools.map(
    (pool) =>
      new PgEventStore(pool, {
        transientRetries: 0, // a deadlock must show, not be hidden by a rerun
        onTransientRetry: (error) => retries.push((error as { code?: string }).code ?? '?'),
      }),
  );
  try {
    let ok = 0;
    const errors: Error[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each store gets all streams in one batch, the second in reverse order.
      const orders = [streams, [...streams].reverse()];
      const results = await settle(
        orders.flatMap((order, s) =>
          order.map((streamId) =>
            stores[s]!.append({
              streamId,
              expectedVersion: round,
              events: [pendingEvent({ round, store: s })],
            }),
          ),
        ),
      );
      ok += results.ok;
      errors.push(...results.errors);
    }
    process.stdout.write(
      `opposite-order batches: ${ROUNDS} rounds x ${STREAMS} streams x 2 stores, ${ok} appended, ${errors.length} errors ${JSON.stringify([...new Set(errors.map((e) => (e as { code?: string }).code ?? e.message))])}\n`,
    );
    expect(errors.map((e) => (e as { code?: string }).code ?? e.message)).toEqual([]);
    expect(retries).toEqual([]);
    // Exactly one writer won each (stream, version): no gap, nothing twice.
    expect(ok).toBe(ROUNDS * STREAMS);
    const { rows } = await fx.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = ANY ($1)',
      [streams],
    );
    expect(rows[0]!.n).toBe(ROUNDS * STREAMS);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
});

it('refuses appends beyond the queue bound at once and stores none of them', async () => {
  const store = new PgEventStore(fx.pool, { maxQueued: 5, maxInFlight: 1 });
  const streams = Array.from({ length: 40 }, () => `q-${randomUUID()}`);
  const results = await settle(
    streams.map((streamId) =>
      store.append({ streamId, expectedVersion: 0, events: [pendingEvent()] }),
    ),
  );
  const full = results.errors.filter((e) => e instanceof AppendQueueFullError);
  process.stdout.write(`queue bound 5: ${results.ok} appended, ${full.length} refused as full\n`);
  expect(full.length).toBe(results.errors.length);
  expect(full.length).toBeGreaterThan(0);
  expect(results.ok + full.length).toBe(streams.length);
  const { rows } = await fx.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE stream_id = ANY ($1)',
    [streams],
  );
  expect(rows[0]!.n).toBe(results.ok);
});
