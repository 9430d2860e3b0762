import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { outboxBacklog, PgEventStore } from '@cqrs/event-store';
import { testInfra } from '@cqrs/testing';
import { ACK_AND_FETCH_SQL } from '../src/outbox/outbox-fetch.sql';
import {
  eventStoreDatabase,
  pendingEvent,
  type EventStoreFixture,
} from './support/event-store-fixture';

/**
 * The write path must cost the same on a large store as on an empty one: an append batch, the
 * relay's fetch and the readiness backlog read rows by key, never a pass over `events`. The trap
 * this guards against: a plan chosen while the table was small, or on stale statistics
 * (autovacuum off, a bulk load, a Kafka outage's backlog), kept hashing or merge-walking the
 * whole table per batch, so every command got slower as the store grew.
 *
 * Rows read are counted from pg_stat_user_tables (sequential tuples read + index tuples
 * fetched), for one session whose statistics are flushed on demand.
 */
const infra = testInfra();
let fx: EventStoreFixture;
/** One session (plpgsql caches plans per session, which is where the trap was), kept open. */
let pool: Pool;
const STORE_SIZE = 30_000;

async function eventsRowsRead(): Promise<number> {
  await pool.query('SELECT pg_stat_force_next_flush()'); // flushed when the session idles
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pool.query<{ n: string }>(
    `SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS n
       FROM pg_stat_user_tables WHERE relname = 'events'`,
  );
  return Number(rows[0]!.n);
}

async function rowsReadBy(work: () => Promise<unknown>): Promise<number> {
  const before = await eventsRowsRead();
  await work();
  return (await eventsRowsRead()) - before;
}

beforeAll(async () => {
  fx = await eventStoreDatabase(infra.databaseUrl, 'read-cost');
  // No autovacuum/analyze during the test: statistics stay as stale as they get in the wild.
  await fx.pool.query(
    'ALTER TABLE events SET (autovacuum_enabled = false); ALTER TABLE outbox SET (autovacuum_enabled = false)',
  );
  pool = new Pool({ connectionString: fx.db.url, max: 1, idleTimeoutMillis: 0 });
});
afterAll(async () => {
  await pool.end();
  await fx.close();
});

describe('the write path reads by key, whatever the size of the store', () => {
  it('an append batch on a grown store reads about one row per append, not the table', async () => {
    const store = new PgEventStore(pool);
    // While the table is small: enough calls for plpgsql to settle on a cached plan.
    const streams = Array.from({ length: 20 }, () => `acc-${randomUUID()}`);
    for (const streamId of streams) {
      await store.append({ streamId, expectedVersion: 0, events: [pendingEvent()] });
      await store.append({ streamId, expectedVersion: 1, events: [pendingEvent()] });
    }
    // And the rare path: a replayed key, whose events the function inserts and deletes again.
    const keyed = (streamId: string, expectedVersion: number) =>
      store.append({
        streamId,
        expectedVersion,
        events: [pendingEvent()],
        idempotency: { scope: 'test', key: streamId, requestHash: 'h', status: 200, response: {} },
      });
    const replayed = Array.from({ length: 10 }, () => `acc-${randomUUID()}`);
    for (const streamId of replayed) {
      expect(await keyed(streamId, 0)).toEqual({ ok: true, nextVersion: 1 });
      expect(await keyed(streamId, 1)).toEqual({ ok: false, reason: 'idempotency-key-taken' });
    }
    // The store grows (a bulk of other streams), with no ANALYZE after it.
    await pool.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
       SELECT gen_random_uuid(), 'bulk-' || (i / 10), i % 10 + 1, 'TestHappened', 1, '{}', '{}', now()
         FROM generate_series(0, $1 - 1) AS i`,
      [STORE_SIZE],
    );

    const read = await rowsReadBy(() =>
      Promise.all(
        streams.map((streamId) =>
          store.append({ streamId, expectedVersion: 2, events: [pendingEvent()] }),
        ),
      ),
    );
    // 20 appends: one existence probe each (plus a little slack for the session's own work).
    expect(read).toBeLessThan(200);
    const versions = await Promise.all(
      streams.map(async (s) => (await store.readStream(s)).map((e) => e.streamVersion)),
    );
    expect(versions.every((v) => v.join() === '1,2,3')).toBe(true);

    const replayRead = await rowsReadBy(async () => {
      for (const streamId of replayed)
        expect(await keyed(streamId, 1)).toEqual({ ok: false, reason: 'idempotency-key-taken' });
    });
    expect(replayRead).toBeLessThan(100);
    const replayedVersions = await Promise.all(
      replayed.map(async (s) => (await store.readStream(s)).length),
    );
    expect(replayedVersions.every((n) => n === 1)).toBe(true); // nothing of the replays stayed
  });

  it("the relay's fetch and the backlog read the outbox's events, not the store", async () => {
    // A backlog came and went (published and deleted; the dead rows stay without vacuum),
    // so the planner believes the outbox large; ten new events are pending now.
    await pool.query(
      'INSERT INTO outbox (global_position) SELECT global_position FROM events ON CONFLICT DO NOTHING',
    );
    await pool.query('DELETE FROM outbox');
    const store = new PgEventStore(pool);
    const streamId = `acc-${randomUUID()}`;
    for (let v = 0; v < 10; v++)
      await store.append({ streamId, expectedVersion: v, events: [pendingEvent({ v })] });

    let fetched: { stream_id: string }[] = [];
    const fetchRead = await rowsReadBy(async () => {
      fetched = (await pool.query<{ stream_id: string }>(ACK_AND_FETCH_SQL, [[], [], 500])).rows;
    });
    expect(fetched).toHaveLength(10);
    expect(fetched.every((e) => e.stream_id === streamId)).toBe(true);
    expect(fetchRead).toBeLessThan(100);

    const backlogRead = await rowsReadBy(async () => {
      const backlog = await outboxBacklog(pool);
      expect(backlog.pending).toBe(10);
    });
    expect(backlogRead).toBeLessThan(100);
  });
});
