import { ProjectorRuntime, type DecodeEvent } from '@cqrs/projections';
import { testInfra, uniqueId, uniqueTopic, waitUntil } from '@cqrs/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { processProjection } from '../../src';
import {
  handoffEvent,
  handoffProcess,
  type HandoffEvent,
} from '../support/handoff-process.fixture';
import {
  handoffDriver,
  processTestbed,
  quietLog,
  SCHEMA,
  statusOf,
} from '../support/process-testbed';

/**
 * Starting processes from Kafka through the ordinary projector runtime: the row commits with
 * the checkpoint, a redelivered start never makes a second process nor resets one, and the
 * commit's notification wakes a driver at once.
 */
const bed = processTestbed('process-start');
const kafka = new Kafka({
  clientId: 'process-start-test',
  brokers: testInfra().kafkaBrokers,
  logLevel: logLevel.NOTHING,
});
jest.setTimeout(120_000);

const decode: DecodeEvent<HandoffEvent> = (raw) => ({
  ok: true,
  event: JSON.parse(raw.toString('utf8')) as HandoffEvent,
});
const requested = (id: string) =>
  handoffEvent(id, 1, { type: 'HandoffRequested', data: { from: 'a', to: 'b', amount: 7 } });
const message = (event: HandoffEvent) => ({ key: event.streamId, value: JSON.stringify(event) });

let producer: Producer;
let topic: string;
beforeAll(async () => {
  topic = uniqueTopic('process-start');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => producer?.disconnect());

const runtime = (groupId = uniqueId('process-start')) =>
  new ProjectorRuntime<HandoffEvent>({
    kafka,
    pool: bed.pool,
    topic,
    groupId,
    schema: SCHEMA,
    projection: processProjection(handoffProcess()),
    decode,
    log: quietLog,
    deadLetterTopic: null,
    consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000 },
  });

const consumed = async (): Promise<number> => {
  const { rows } = await bed.pool.query<{ n: string | null }>(
    `SELECT sum(next_offset)::text AS n FROM ${SCHEMA}.projector_checkpoints WHERE projection = 'handoffs'`,
  );
  return Number(rows[0]?.n ?? 0);
};
const consumedAll = (count: number) =>
  waitUntil(`${count} messages consumed`, async () => (await consumed()) >= count, {
    timeoutMs: 60_000,
    intervalMs: 50,
  });
const rowsOf = async (ids: readonly string[]) =>
  (
    await bed.pool.query<{ process_id: string }>(
      `SELECT process_id FROM ${SCHEMA}.handoffs_processes WHERE process_id = ANY($1::text[]) ORDER BY process_id`,
      [ids],
    )
  ).rows.map((r) => r.process_id);
const resetCheckpoints = () =>
  bed.pool.query(
    `UPDATE ${SCHEMA}.projector_checkpoints SET next_offset = 0 WHERE projection = 'handoffs'`,
  );

it('a start event creates exactly one process, however often it is delivered', async () => {
  await producer.send({
    topic,
    messages: [
      message(requested('h-k1')),
      message(handoffEvent('h-k1', 2, { type: 'HandoffNoted', data: { note: 'n1' } })),
      message(requested('h-k2')),
    ],
  });
  const first = runtime();
  await first.start();
  await consumedAll(3);
  await first.stop();
  expect(await rowsOf(['h-k1', 'h-k2'])).toEqual(['h-k1', 'h-k2']);
  expect((await statusOf(bed.pool, 'h-k1')).state).toMatchObject({ phase: 'debit', notes: ['n1'] });
  expect(await statusOf(bed.pool, 'h-k2')).toMatchObject({
    status: 'active',
    step: 'debit',
    attempts: 0,
  });

  // The processes moved on (as a driver would have) before the log is delivered again.
  await bed.pool.query(
    `UPDATE ${SCHEMA}.handoffs_processes SET state = jsonb_set(state, '{phase}', '"credit"'), step = 'credit'`,
  );

  // Redelivery of the whole log to a new group: the runtime's stream versions skip it all.
  await resetCheckpoints();
  const second = runtime();
  await second.start();
  await consumedAll(3);
  await second.stop();

  // Redelivery the runtime cannot see through (h-k2's stream version forgotten): the insert's
  // ON CONFLICT keeps the running process as it was.
  await bed.pool.query(
    `DELETE FROM ${SCHEMA}.projector_streams WHERE projection = 'handoffs' AND stream_id = 'h-k2'`,
  );
  await resetCheckpoints();
  const third = runtime();
  await third.start();
  await consumedAll(3);
  await third.stop();

  expect(await rowsOf(['h-k1', 'h-k2'])).toEqual(['h-k1', 'h-k2']);
  for (const id of ['h-k1', 'h-k2']) {
    expect(await statusOf(bed.pool, id)).toMatchObject({
      step: 'credit',
      state: { phase: 'credit' },
    });
  }
  expect((await statusOf(bed.pool, 'h-k1')).state.notes).toEqual(['n1']);
  // ...and not by failing: a conflicting insert would have been dead-lettered, not skipped.
  const { rows } = await bed.pool.query(`SELECT 1 FROM ${SCHEMA}.projector_dead_letters`);
  expect(rows).toEqual([]);
});

it('wakes a driver on the start commit: the first command follows within milliseconds', async () => {
  // A poll far longer than the bound: only the projector's notification can explain a fast send.
  const driver = handoffDriver(bed, { pollIntervalMs: 10_000 });
  await driver.start();
  const projector = runtime();
  await projector.start();
  try {
    await new Promise((r) => setTimeout(r, 300)); // the driver's first (empty) claim is over
    // The first start after an assignment also pays the projector's one-off checks; the
    // second shows the steady state.
    for (const id of ['h-fast-1', 'h-fast-2']) {
      await producer.send({ topic, messages: [message(requested(id))] });
      await waitUntil(
        `the first command of ${id}`,
        async () => bed.server.keys().includes(`${id}:debit`),
        {
          timeoutMs: 30_000,
          intervalMs: 5,
        },
      );
      const created = Date.parse((await statusOf(bed.pool, id)).createdAt);
      const sent =
        bed.server.requests.find((r) => r.idempotencyKey === `${id}:debit`)?.at ?? Infinity;
      const latencyMs = sent - created;
      // created_at is the start of the projector's transaction; its commit comes a little later.
      expect(latencyMs).toBeLessThan(250);
      process.stdout.write(`${id}: start transaction -> first command ${latencyMs} ms\n`);
    }
  } finally {
    await projector.stop();
    await driver.stop();
  }
});
