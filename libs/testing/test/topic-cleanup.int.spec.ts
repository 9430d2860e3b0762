import { Kafka, logLevel } from 'kafkajs';
import { deleteTopicsByPrefix, testInfra, testRunId, uniqueTopic } from '@cqrs/testing';

/** Test topics are deleted by prefix (a stack's topic and its dead letters), nothing else. */
const { kafkaBrokers } = testInfra();
const admin = new Kafka({
  clientId: 'cleanup-test',
  brokers: kafkaBrokers,
  logLevel: logLevel.NOTHING,
}).admin();

jest.setTimeout(60_000);
beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

it('deletes a topic and the topics named after it, and leaves the others', async () => {
  const doomed = uniqueTopic('cleanup');
  const kept = uniqueTopic('cleanup-kept');
  expect(doomed.startsWith(`test.${testRunId()}.`)).toBe(true);
  const names = [doomed, `${doomed}.dlq.some-group`, kept];
  await admin.createTopics({ topics: names.map((topic) => ({ topic })), waitForLeaders: true });

  expect(await deleteTopicsByPrefix(kafkaBrokers, doomed)).toBe(2);
  const left = await admin.listTopics();
  expect(names.filter((name) => left.includes(name))).toEqual([kept]);
  await admin.deleteTopics({ topics: [kept] });
});

it('refuses a prefix that is not a test prefix', async () => {
  await expect(deleteTopicsByPrefix(kafkaBrokers, 'accounts.')).rejects.toThrow(/non-test/);
});
