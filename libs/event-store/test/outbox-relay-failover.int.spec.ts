import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { OutboxRelay, PgEventStore } from '@cqrs/event-store';
import {
  readTopic,
  startRestartableKafka,
  testInfra,
  uniqueTopic,
  waitUntil,
  type RestartableKafka,
} from '@cqrs/testing';
import {
  eventStoreDatabase,
  pendingEvent,
  type EventStoreFixture,
} from './support/event-store-fixture';

/**
 * The leader relay's database session is killed while it waits for Kafka with a batch in hand.
 * Its advisory lock dies with the session and a standby takes over; the old leader must not
 * send that batch when Kafka returns, or two leaders publish at once (duplicates, and a window
 * where the order of two senders interleaves).
 */
const infra = testInfra();
const quiet = { info: () => undefined, warn: () => undefined };
const LOCK_KEY = 72_707_099;
let fx: EventStoreFixture;
let broker: RestartableKafka;
const relays: OutboxRelay[] = [];

jest.setTimeout(180_000);

beforeAll(async () => {
  fx = await eventStoreDatabase(infra.databaseUrl, 'relay-failover');
  broker = await startRestartableKafka(); // a broker of its own: this test stops it
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await broker?.destroy();
  await fx?.close();
});

const pending = async (): Promise<number> =>
  Number((await fx.pool.query('SELECT count(*) AS n FROM outbox')).rows[0].n);

async function appendStreams(store: PgEventStore, streams: number, perStream: number) {
  for (let s = 0; s < streams; s++) {
    const streamId = randomUUID();
    for (let v = 0; v < perStream; v++) {
      const result = await store.append({
        streamId,
        expectedVersion: v,
        events: [pendingEvent({ v: v + 1 })],
      });
      if (!result.ok) throw new Error(`append failed: ${result.reason}`);
    }
  }
}

function relay(topic: string, sent: string[]): OutboxRelay {
  const created = new OutboxRelay({
    database: { connectionString: fx.db.url },
    kafka: new Kafka({
      clientId: 'relay-failover',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
    }),
    topic,
    lockKey: LOCK_KEY,
    pollIntervalMs: 200,
    log: quiet,
    onPublished: (events) => sent.push(...events.map((e) => e.eventId)),
  });
  relays.push(created);
  return created;
}

it('a leader whose session is killed stops publishing; the standby publishes each event once', async () => {
  const topic = uniqueTopic('relay-failover');
  const store = new PgEventStore(fx.pool);
  const sentByA: string[] = [];
  const sentByB: string[] = [];
  const a = relay(topic, sentByA);
  a.start();
  await waitUntil('A leads', async () => a.status().leader, { timeoutMs: 10_000 });
  const b = relay(topic, sentByB);
  b.start();
  await appendStreams(store, 5, 2);
  await waitUntil('first events out', async () => (await pending()) === 0, { timeoutMs: 30_000 });

  // Kafka goes away; A fetches the next events and keeps retrying them.
  await broker.stop();
  await appendStreams(store, 10, 3);
  await waitUntil(
    'A retrying with a batch in hand',
    async () => a.status().lastError !== undefined,
    {
      timeoutMs: 15_000,
    },
  );
  const sentByABeforeKill = sentByA.length;
  const holder = async (): Promise<number | undefined> =>
    (
      await fx.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_locks
          WHERE locktype = 'advisory' AND objid = $1 AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [LOCK_KEY],
      )
    ).rows[0]?.pid;
  const leaderPid = await holder();
  const killed = await fx.pool.query('SELECT pg_terminate_backend($1) AS ok', [leaderPid]);
  expect(killed.rows[0]).toEqual({ ok: true });
  const killedAt = Date.now();
  await waitUntil('a new leader', async () => ![undefined, leaderPid].includes(await holder()), {
    timeoutMs: 10_000,
  });
  process.stdout.write(
    `relay failover: the standby leads ${Date.now() - killedAt} ms after the kill\n`,
  );
  await waitUntil('B knows it leads', async () => b.status().leader, { timeoutMs: 5_000 });
  const aStillLeads = a.status().leader;

  await broker.start();
  await waitUntil('backlog delivered', async () => (await pending()) === 0, { timeoutMs: 60_000 });
  await Promise.all([a.stop(), b.stop()]);

  // A's old session, and the batch it held, published nothing once the lock was gone; B sent
  // the whole backlog.
  expect(sentByA.length).toBe(sentByABeforeKill);
  expect(sentByB).toHaveLength(30);
  expect(aStillLeads).toBe(false);
  // The topic holds every event exactly once: no second leader sent the batch A had in hand.
  const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  expect(offsets.reduce((sum, o) => sum + Number(o.high), 0)).toBe(40);
  const messages = await readTopic(broker.brokers, topic, 40);
  expect(new Set(messages.map((m) => m.eventId)).size).toBe(40);
});

it('the local broker creates no topic by accident: a send to a missing topic fails', async () => {
  // Every topic is created on purpose (ensureTopics) with its retention; a typo'd name must not
  // silently become a topic with the broker's 7-day default.
  const kafka = new Kafka({
    brokers: broker.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const topic = uniqueTopic('not-created');
    await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow();
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).not.toContain(topic);
    await admin.disconnect();
  } finally {
    await producer.disconnect();
  }
});
