import { EVENT_HEADERS } from '@cqrs/events';
import { uniqueId } from '@cqrs/testing';
import {
  countedMessages,
  countingRuntime,
  countingTopic,
  runtimeSuite,
  waitForMessages,
} from './counting-projection.fixture';

/**
 * The runtime's lines about a failing chunk, a dead letter and parked events name the
 * correlation ids the messages carry, so an operator gets from the log line to the request.
 */
const { kafka, bed } = runtimeSuite('runtime-poison-log');
const schema = 'rm';

jest.setTimeout(120_000);

it('names the correlation ids of the poisoned event, its chunk and the events parked behind it', async () => {
  const { pool, producer } = bed;
  const { topic, projection } = await countingTopic(kafka, pool, schema, {
    label: 'poison-log',
    partitions: 1,
  });
  const messages = countedMessages('bad', 1, 5, 3).map((message, i) => ({
    ...message,
    headers: { [EVENT_HEADERS.correlationId]: `req-${i + 1}` },
  }));
  await producer.send({ topic, messages });
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const keep = (obj: object, msg: string): void =>
    void lines.push({ obj: obj as Record<string, unknown>, msg });
  const runtime = countingRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('poison-log'),
    schema,
    projection,
    maxAttempts: 2,
    log: { info: keep, warn: keep, error: keep },
  });
  await runtime.start();
  try {
    await waitForMessages(pool, schema, 'counts', 5);
  } finally {
    await runtime.stop();
  }
  const said = (msg: string) => lines.filter((line) => line.msg === msg).map((line) => line.obj);
  // The chunk is whatever batch the broker delivered: it holds the poison at least.
  expect(said('chunk keeps failing; isolating the poison event')).toEqual([
    expect.objectContaining({ correlationIds: expect.arrayContaining(['req-3']) as unknown }),
  ]);
  expect(said('handler fails deterministically; dead-lettering the event')).toEqual([
    expect.objectContaining({ correlationId: 'req-3' }),
  ]);
  expect(said('event dead-lettered; its stream is parked until replayed')).toEqual([
    expect.objectContaining({ correlationId: 'req-3', streamId: 'bad', streamVersion: 3 }),
  ]);
  const parked = said('events parked behind a missing version or a dead letter');
  expect(parked.flatMap((obj) => obj['correlationIds'])).toEqual(['req-4', 'req-5']);
});
