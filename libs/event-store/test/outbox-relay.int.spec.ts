import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { OutboxRelay, PgEventStore } from '@cqrs/event-store';
import {
  readTopic,
  startRestartableKafka,
  testInfra,
  uniqueTopic,
  versionsByStream,
  waitUntil,
} from '@cqrs/testing';
import {
  eventStoreDatabase,
  pendingEvent,
  type EventStoreFixture,
} from './support/event-store-fixture';

const infra = testInfra();
const quiet = { info: () => undefined, warn: () => undefined };
let fx: EventStoreFixture;

jest.setTimeout(120_000);

beforeEach(async () => {
  fx = await eventStoreDatabase(infra.databaseUrl, 'relay');
});
afterEach(() => fx.close());

/** Appends `perStream` events to each of `streams` streams, concurrently across streams. */
async function appendMany(
  store: PgEventStore,
  streams: string[],
  perStream: number,
): Promise<void> {
  await Promise.all(
    streams.map(async (streamId) => {
      for (let v = 0; v < perStream; v++) {
        const result = await store.append({
          streamId,
          expectedVersion: v,
          events: [pendingEvent({ v: v + 1 })],
        });
        if (!result.ok) throw new Error(`append failed: ${result.reason}`);
      }
    }),
  );
}

const pending = async (): Promise<number> =>
  Number((await fx.pool.query('SELECT count(*) AS n FROM outbox')).rows[0].n);

function expectComplete(
  messages: Awaited<ReturnType<typeof readTopic>>,
  streams: string[],
  perStream: number,
): void {
  const byStream = versionsByStream(messages);
  for (const stream of streams) {
    const versions = byStream.get(stream) ?? [];
    // In order, none missing; a redelivery may repeat versions but never goes backwards past them.
    expect([...new Set(versions)]).toEqual(Array.from({ length: perStream }, (_, i) => i + 1));
    for (let i = 1; i < versions.length; i++) {
      if (versions[i]! < versions[i - 1]!)
        expect(versions[i - 1]! - versions[i]!).toBeLessThan(perStream);
    }
  }
}

it('delivers every event to Kafka in per-stream order, keyed by stream', async () => {
  const topic = uniqueTopic('relay-order');
  const relay = new OutboxRelay({
    database: { connectionString: fx.db.url },
    kafka: new Kafka({
      clientId: 'relay-test',
      brokers: infra.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }),
    topic,
    log: quiet,
  });
  relay.start();
  const store = new PgEventStore(fx.pool);
  const streams = Array.from({ length: 40 }, () => randomUUID());
  await appendMany(store, streams, 10);
  await waitUntil('outbox drained', async () => (await pending()) === 0, { timeoutMs: 30_000 });
  await relay.stop();

  const messages = await readTopic(infra.kafkaBrokers, topic, 400);
  expect(messages).toHaveLength(400); // normal operation: no duplicates at all
  expect(new Set(messages.map((m) => m.eventId)).size).toBe(400);
  const byStream = versionsByStream(messages);
  for (const stream of streams)
    expect(byStream.get(stream)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const sample = JSON.parse(messages[0]!.value);
  expect(sample).toMatchObject({
    streamId: messages[0]!.key,
    type: 'TestHappened',
    schemaVersion: 1,
  });
});

it('elects one leader among several relays, so nothing is sent twice', async () => {
  const topic = uniqueTopic('relay-leader');
  const kafka = new Kafka({
    clientId: 'relay-test',
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const relays = [1, 2, 3].map(
    () => new OutboxRelay({ database: { connectionString: fx.db.url }, kafka, topic, log: quiet }),
  );
  relays.forEach((r) => r.start());
  await waitUntil('a leader', async () => relays.some((r) => r.status().leader), {
    timeoutMs: 10_000,
  });
  const store = new PgEventStore(fx.pool);
  const streams = Array.from({ length: 20 }, () => randomUUID());
  await appendMany(store, streams, 5);
  await waitUntil('outbox drained', async () => (await pending()) === 0, { timeoutMs: 30_000 });
  expect(relays.filter((r) => r.status().leader)).toHaveLength(1);

  // The leader goes away; a standby takes over and sends what arrives next.
  const leader = relays.find((r) => r.status().leader)!;
  await leader.stop();
  const more = Array.from({ length: 5 }, () => randomUUID());
  await appendMany(store, more, 3);
  await waitUntil('outbox drained after failover', async () => (await pending()) === 0, {
    timeoutMs: 30_000,
  });
  await Promise.all(relays.map((r) => r.stop()));

  const messages = await readTopic(infra.kafkaBrokers, topic, 115);
  expect(messages).toHaveLength(115);
  expect(new Set(messages.map((m) => m.eventId)).size).toBe(115);
});

it('loses nothing when the relay process is SIGKILLed mid-batch, again and again', async () => {
  const topic = uniqueTopic('relay-kill');
  const runner = path.join(__dirname, 'support', 'relay-runner.ts');
  // One process (tsx as a loader, not its CLI wrapper), so SIGKILL really kills the relay.
  const start = (): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', runner], {
      cwd: path.resolve(__dirname, '..', '..', '..'),
      env: {
        ...process.env,
        DATABASE_URL: fx.db.url,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        TOPIC: topic,
        BATCH: '25',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });

  const store = new PgEventStore(fx.pool);
  const streams = Array.from({ length: 30 }, () => randomUUID());
  const appending = appendMany(store, streams, 20);
  let kills = 0;
  let child = start();
  for (let round = 0; round < 5; round++) {
    // Kill as soon as it has published something in this life: it is then mid-stream.
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    child.kill('SIGKILL');
    kills++;
    await new Promise((r) => child.once('exit', r));
    child = start();
  }
  await appending;
  await waitUntil('outbox drained', async () => (await pending()) === 0, { timeoutMs: 60_000 });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));

  const messages = await readTopic(infra.kafkaBrokers, topic, 600, 20_000);
  expect(kills).toBe(5);
  expect(new Set(messages.map((m) => m.eventId)).size).toBe(600);
  // Duplicates are exact redeliveries: the same event id always carries the same bytes.
  const byId = new Map<string, string>();
  for (const m of messages) {
    if (byId.has(m.eventId)) expect(m.value).toBe(byId.get(m.eventId));
    byId.set(m.eventId, m.value);
  }
  expectComplete(messages, streams, 20);
});

it('keeps accepting appends while Kafka is down and delivers them when it returns', async () => {
  const kafkaBroker = await startRestartableKafka();
  try {
    const topic = uniqueTopic('relay-outage');
    const relay = new OutboxRelay({
      database: { connectionString: fx.db.url },
      kafka: new Kafka({
        clientId: 'relay-test',
        brokers: kafkaBroker.brokers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 1 },
      }),
      topic,
      log: quiet,
    });
    relay.start();
    const store = new PgEventStore(fx.pool);
    const before = Array.from({ length: 5 }, () => randomUUID());
    await appendMany(store, before, 2);
    await waitUntil('first events out', async () => (await pending()) === 0, { timeoutMs: 30_000 });

    await kafkaBroker.stop();
    const during = Array.from({ length: 10 }, () => randomUUID());
    await appendMany(store, during, 3); // accepted: the command side needs only Postgres
    expect(await pending()).toBe(30);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(relay.status().lastError).toBeDefined();

    await kafkaBroker.start();
    await waitUntil('backlog delivered', async () => (await pending()) === 0, {
      timeoutMs: 60_000,
    });
    await relay.stop();
    const messages = await readTopic(kafkaBroker.brokers, topic, 40);
    expect(new Set(messages.map((m) => m.eventId)).size).toBe(40);
    expectComplete(messages, [...before, ...during].slice(0, 5), 2);
    expectComplete(messages, during, 3);
  } finally {
    await kafkaBroker.destroy();
  }
});
