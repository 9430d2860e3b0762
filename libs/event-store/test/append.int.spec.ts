import { randomUUID } from 'node:crypto';
import { PgEventStore } from '@cqrs/event-store';
import { testInfra } from '@cqrs/testing';
import {
  eventStoreDatabase,
  pendingEvent,
  type EventStoreFixture,
} from './support/event-store-fixture';

const infra = testInfra();
let fx: EventStoreFixture;
let store: PgEventStore;

beforeAll(async () => {
  fx = await eventStoreDatabase(infra.databaseUrl, 'append');
  store = new PgEventStore(fx.pool);
});
afterAll(() => fx.close());

describe('append with optimistic concurrency', () => {
  it('lets exactly one of 25 concurrent writers win each version, leaving no gap', async () => {
    const stream = `acc-${randomUUID()}`;
    for (let expected = 0; expected < 8; expected++) {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store.append({
            streamId: stream,
            expectedVersion: expected,
            events: [pendingEvent({ writer: i })],
          }),
        ),
      );
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, nextVersion: expected + 1 }]);
      expect(
        results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'version-conflict'),
      ).toBe(true);
    }
    const versions = (await store.readStream(stream)).map((e) => e.streamVersion);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses an expected version the stream has not reached (no gap can be created)', async () => {
    const stream = `acc-${randomUUID()}`;
    await store.append({ streamId: stream, expectedVersion: 0, events: [pendingEvent()] });
    expect(
      await store.append({ streamId: stream, expectedVersion: 5, events: [pendingEvent()] }),
    ).toEqual({ ok: false, reason: 'version-conflict' });
    expect(
      await store.append({
        streamId: `acc-${randomUUID()}`,
        expectedVersion: 1,
        events: [pendingEvent()],
      }),
    ).toEqual({
      ok: false,
      reason: 'version-conflict',
    });
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1]);
  });

  it('stores a multi-event append whole or not at all', async () => {
    const stream = `acc-${randomUUID()}`;
    await store.append({ streamId: stream, expectedVersion: 0, events: [pendingEvent()] });
    // A rival takes version 2 only; an append of versions 2-3 must not leave version 3 behind.
    const [rival, multi] = await Promise.all([
      store.append({
        streamId: stream,
        expectedVersion: 1,
        events: [pendingEvent({ rival: true })],
      }),
      store.append({
        streamId: stream,
        expectedVersion: 1,
        events: [pendingEvent({ a: 1 }), pendingEvent({ b: 2 })],
      }),
    ]);
    const stored = await store.readStream(stream);
    if (rival.ok) {
      expect(multi).toEqual({ ok: false, reason: 'version-conflict' });
      expect(stored.map((e) => e.data)).toEqual([{ n: 1 }, { rival: true }]);
    } else {
      expect(multi).toEqual({ ok: true, nextVersion: 3 });
      expect(stored.map((e) => e.data)).toEqual([{ n: 1 }, { a: 1 }, { b: 2 }]);
    }
  });

  it('queues every appended event in the outbox, in the same transaction', async () => {
    const stream = `acc-${randomUUID()}`;
    await store.append({
      streamId: stream,
      expectedVersion: 0,
      events: [pendingEvent(), pendingEvent()],
    });
    const { rows } = await fx.pool.query(
      'SELECT count(*)::int AS n FROM outbox o JOIN events e USING (global_position) WHERE e.stream_id = $1',
      [stream],
    );
    expect(rows[0]).toEqual({ n: 2 });
  });

  it('rejects a duplicate event id without storing anything of that append', async () => {
    const stream = `acc-${randomUUID()}`;
    const event = pendingEvent();
    await store.append({ streamId: stream, expectedVersion: 0, events: [event] });
    expect(
      await store.append({ streamId: `acc-${randomUUID()}`, expectedVersion: 0, events: [event] }),
    ).toEqual({
      ok: false,
      reason: 'version-conflict',
    });
  });
});

describe('idempotency records', () => {
  const record = (key: string, hash = 'h1') => ({
    scope: 'alice',
    key,
    requestHash: hash,
    status: 200,
    response: { ok: key },
  });

  it('stores the record with the events and hands it back', async () => {
    const stream = `acc-${randomUUID()}`;
    const key = randomUUID();
    expect(
      await store.append({
        streamId: stream,
        expectedVersion: 0,
        events: [pendingEvent()],
        idempotency: record(key),
      }),
    ).toEqual({
      ok: true,
      nextVersion: 1,
    });
    expect(await store.findIdempotencyRecord('alice', key)).toEqual({
      requestHash: 'h1',
      status: 200,
      response: { ok: key },
    });
    expect(await store.findIdempotencyRecord('bob', key)).toBeUndefined();
  });

  it('lets only one of many concurrent appends with the same key land', async () => {
    const key = randomUUID();
    const streams = Array.from({ length: 10 }, () => `acc-${randomUUID()}`);
    const results = await Promise.all(
      streams.map((streamId) =>
        store.append({
          streamId,
          expectedVersion: 0,
          events: [pendingEvent()],
          idempotency: record(key),
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'idempotency-key-taken')).toHaveLength(9);
    const stored = await Promise.all(streams.map((s) => store.readStream(s)));
    expect(stored.flat()).toHaveLength(1);
  });

  it('stores a rejected command outcome without events', async () => {
    const key = randomUUID();
    const rejection = {
      scope: 'alice',
      key,
      requestHash: 'h',
      status: 422,
      response: { code: 'ACCOUNT_INSUFFICIENT_FUNDS' },
    };
    expect(
      await store.append({
        streamId: `acc-${randomUUID()}`,
        expectedVersion: 3,
        events: [],
        idempotency: rejection,
      }),
    ).toEqual({
      ok: true,
      nextVersion: 3,
    });
    expect(await store.findIdempotencyRecord('alice', key)).toMatchObject({ status: 422 });
  });
});

it('commits many concurrent appends in few transactions (group commit)', async () => {
  const flushes: number[] = [];
  const grouped = new PgEventStore(fx.pool, { onFlush: (appends) => flushes.push(appends) });
  await Promise.all(
    Array.from({ length: 200 }, () =>
      grouped.append({
        streamId: `acc-${randomUUID()}`,
        expectedVersion: 0,
        events: [pendingEvent()],
      }),
    ),
  );
  expect(flushes.reduce((a, b) => a + b, 0)).toBe(200);
  expect(flushes.length).toBeLessThan(200);
});
