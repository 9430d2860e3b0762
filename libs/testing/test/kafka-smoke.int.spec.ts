import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';

/**
 * Proves the broker is a real Kafka: plain produce/consume, and transactional semantics that
 * only a real transaction coordinator gives (aborted records invisible to read_committed).
 */
const { kafkaBrokers } = testInfra();
const kafka = new Kafka({ clientId: 'smoke', brokers: kafkaBrokers, logLevel: logLevel.WARN });
const admin = kafka.admin();

jest.setTimeout(60_000);

async function collect(
  topic: string,
  count: number,
  options: { readUncommitted: boolean },
): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({
    groupId: uniqueId('smoke-group'),
    readUncommitted: options.readUncommitted,
  });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => resolve(), 15_000);
    consumer
      .run({
        eachMessage: async ({ message }: EachMessagePayload) => {
          seen.push(message.value?.toString() ?? '');
          if (seen.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

it('produces and consumes through the broker', async () => {
  const topic = uniqueTopic('smoke-plain');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'k', value: 'hello' },
      { key: 'k', value: 'world' },
    ],
  });
  await producer.disconnect();

  expect(await collect(topic, 2, { readUncommitted: false })).toEqual(['hello', 'world']);
});

it('hides aborted transactional records from a read_committed consumer', async () => {
  const topic = uniqueTopic('smoke-tx');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    transactionalId: uniqueId('smoke-tx'),
  });
  await producer.connect();

  const committed = await producer.transaction();
  await committed.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
  await committed.commit();

  const aborted = await producer.transaction();
  await aborted.send({ topic, messages: [{ value: 'aborted-1' }] });
  await aborted.abort();

  const last = await producer.transaction();
  await last.send({ topic, messages: [{ value: 'committed-3' }] });
  await last.commit();
  await producer.disconnect();

  // read_committed skips the aborted record; read_uncommitted shows it, so the broker really
  // ran a transaction rather than dropping the record.
  expect(await collect(topic, 3, { readUncommitted: false })).toEqual([
    'committed-1',
    'committed-2',
    'committed-3',
  ]);
  expect(await collect(topic, 4, { readUncommitted: true })).toEqual([
    'committed-1',
    'committed-2',
    'aborted-1',
    'committed-3',
  ]);
});
