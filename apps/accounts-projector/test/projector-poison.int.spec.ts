import type { Message } from 'kafkajs';
import {
  accountEventRegistry,
  deadLetterTopic,
  toKafkaMessage,
  type AccountEvent,
  type EventRecord,
} from '@cqrs/events';
import {
  ProjectionStatusReader,
  replayDeadLetters,
  type DecodeEvent,
  type Projection,
} from '@cqrs/projections';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { foldExpected, generateAccountEvents } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  readAccounts,
  startRuntime,
  testKafka,
  waitForCheckpoints,
  projectorTestbed,
} from './support/projector-harness.fixture';

/**
 * Poison between good events: each bad one becomes exactly one dead letter, every good event
 * of other streams is applied, later events of a poisoned stream are parked (the documented
 * policy), and the replay command applies the fixed ones and then the parked ones.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const schema = 'rm';
const HANDLER_BUG_AMOUNT = 424_242;
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-poison', 6);

jest.setTimeout(90_000);

const withValue = (event: EventRecord, value: unknown): Message => ({
  ...toKafkaMessage(event),
  value: typeof value === 'string' ? value : JSON.stringify(value),
});

/** The "fix" shipped later: an upcaster for the unknown version, a renamed type, a coercion. */
const fixedDecode: DecodeEvent<AccountEvent> = (raw) => {
  try {
    const input = JSON.parse(raw.toString('utf8')) as Record<string, unknown> & {
      data: Record<string, unknown>;
    };
    if (input['type'] === 'FundsDeposited') input['type'] = 'MoneyDeposited';
    if (input['schemaVersion'] === 9) input['schemaVersion'] = 1;
    if (typeof input.data['amount'] === 'string')
      input.data['amount'] = Number(input.data['amount']);
    return accountEventRegistry.parseEvent(input);
  } catch {
    return accountEventRegistry.parseEventJson(raw);
  }
};

/** A projection with a deterministic bug for one amount (fixed in the replay's build). */
const buggy = (inner: Projection<AccountEvent>): Projection<AccountEvent> => ({
  ...inner,
  applyBatch: async (tx, events, context) => {
    if (events.some((e) => 'amount' in e.data && e.data.amount === HANDLER_BUG_AMOUNT)) {
      throw new Error('handler bug: cannot project this amount');
    }
    return inner.applyBatch(tx, events, context);
  },
});

it('dead-letters exactly the poison, parks the streams behind it, and replays the fixed ones', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('poison');
  const groupId = uniqueId('poison');
  const dlq = deadLetterTopic(topic, groupId);
  await createTopic(kafka, topic);
  const projection = await migrated(pool, db.url, schema);
  const generated = generateAccountEvents({ accounts: 60, eventsPerAccount: 8 });
  const at = (id: string, v: number): EventRecord =>
    generated.find((x) => x.streamId === id && x.streamVersion === v)!;
  const depositAt = (v: number, not: string[] = []): string =>
    generated.find(
      (x) => x.streamVersion === v && x.type === 'MoneyDeposited' && !not.includes(x.streamId),
    )!.streamId;
  // Streams chosen so that each fix yields exactly the original transition.
  const b = depositAt(2);
  const d = depositAt(3, [b]);
  const [a, c, e] = [...new Set(generated.map((x) => x.streamId))].filter(
    (id) => id !== b && id !== d,
  ) as [string, string, string];

  // d's v3 carries the amount the handler cannot take (its later balances shifted to match).
  const delta = HANDLER_BUG_AMOUNT - (at(d, 3).data['amount'] as number);
  const events = generated.map((ev) =>
    ev.streamId === d && ev.streamVersion >= 3 && 'balanceAfter' in ev.data
      ? {
          ...ev,
          data: {
            ...ev.data,
            ...(ev.streamVersion === 3 ? { amount: HANDLER_BUG_AMOUNT } : {}),
            balanceAfter: (ev.data['balanceAfter'] as number) + delta,
          },
        }
      : ev,
  );
  const envelope = (ev: EventRecord): Record<string, unknown> & { data: Record<string, unknown> } =>
    JSON.parse(String(toKafkaMessage(ev).value)) as Record<string, unknown> & {
      data: Record<string, unknown>;
    };
  const spoiled = new Map<EventRecord, Message>([
    [at(a, 3), withValue(at(a, 3), { ...envelope(at(a, 3)), schemaVersion: 9 })],
    [at(b, 2), withValue(at(b, 2), { ...envelope(at(b, 2)), type: 'FundsDeposited' })],
    [
      at(c, 4),
      withValue(at(c, 4), {
        ...envelope(at(c, 4)),
        data: { ...envelope(at(c, 4)).data, amount: String(at(c, 4).data['amount']) },
      }),
    ],
    [at(e, 2), withValue(at(e, 2), '{"not json')],
  ]);
  const messages = events.map((ev, i) => spoiled.get(generated[i]!) ?? toKafkaMessage(ev));
  // And a message no one can attribute: no key, not even UTF-8.
  messages.splice(100, 0, { key: null, value: Buffer.from([0xff, 0xfe, 0x00]) });
  const poisonCount = 6;

  await produce(producer, topic, messages);
  const runtime = startRuntime({
    kafka,
    pool,
    topic,
    groupId,
    schema,
    projection: buggy(projection),
    deadLetterTopic: dlq,
    chunkSize: 200,
  });
  await runtime.start();
  await waitForCheckpoints(pool, schema, topic, messages.length);
  await runtime.stop();

  const letters = await pool.query<{ reason_code: string; stream_id: string | null }>(
    `SELECT reason_code, stream_id FROM ${schema}.projector_dead_letters ORDER BY id`,
  );
  expect(letters.rows).toHaveLength(poisonCount);
  expect(letters.rows.map((r) => r.reason_code).sort()).toEqual(
    [
      'EVENT_UNKNOWN_VERSION',
      'EVENT_UNKNOWN_TYPE',
      'EVENT_INVALID_PAYLOAD',
      'EVENT_INVALID_JSON',
      'EVENT_INVALID_JSON',
      'HANDLER_FAILED',
    ].sort(),
  );
  const admin = kafka.admin();
  await admin.connect();
  const dlqOffsets = await admin.fetchTopicOffsets(dlq);
  expect(dlqOffsets.reduce((n, p) => n + Number(p.high), 0)).toBe(poisonCount);

  // Every good event applied; each poisoned stream stops just before its poison.
  const truth = events;
  const poisonedAt = new Map([
    [a, 3],
    [b, 2],
    [c, 4],
    [d, 3],
    [e, 2],
  ]);
  const beforePoison = truth.filter(
    (ev) => (poisonedAt.get(ev.streamId) ?? Infinity) > ev.streamVersion,
  );
  expect(await readAccounts(pool, schema)).toEqual(foldExpected(beforePoison));
  const status = await new ProjectionStatusReader({
    pool,
    admin,
    schema,
    topic,
    projection: 'accounts',
  }).read();
  expect(status).toMatchObject({
    deadLetters: poisonCount,
    parkedStreams: poisonedAt.size,
    totalLag: 0,
  });

  // The fix ships: replay applies the fixed letters and the parked events behind them.
  const report = await replayDeadLetters({ pool, schema, projection, decode: fixedDecode });
  expect(report).toMatchObject({
    replayed: poisonCount - 2,
    stillFailing: 2,
    streamsUnparked: poisonCount - 2,
  });
  const stillStuck = truth.filter((ev) => ev.streamId !== e || ev.streamVersion < 2);
  expect(await readAccounts(pool, schema)).toEqual(foldExpected(stillStuck));
  const after = await new ProjectionStatusReader({
    pool,
    admin,
    schema,
    topic,
    projection: 'accounts',
  }).read();
  expect(after).toMatchObject({ deadLetters: 2, parkedStreams: 1 });
  await admin.disconnect();
});
