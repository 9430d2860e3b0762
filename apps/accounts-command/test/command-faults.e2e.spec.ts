import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createTestDatabase,
  readTopic,
  startService,
  testInfra,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
} from '@cqrs/testing';
import { commandClient, INTERNAL_TOKEN } from './support/command-client';

/** Crashes of the command service between its database commit and Kafka. */
const infra = testInfra();
let db: TestDatabase;

jest.setTimeout(90_000);

beforeEach(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-faults');
});
afterEach(() => db.drop());

it('a crash right after the commit, before publishing, still ends with the event on Kafka exactly once', async () => {
  const topic = uniqueTopic('command-crash');
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN,
    ACCOUNTS_EVENTS_TOPIC: topic,
  };
  const doomed = await startService('accounts-command', {
    ...env,
    FAULT_CRASH_AFTER_COMMIT: 'true',
  });
  const key = randomUUID();
  const request = {
    actor: 'alice',
    body: { currency: 'EUR' },
    headers: { 'idempotency-key': key },
  };

  // The process dies between COMMIT and the answer: the client sees no response at all.
  await expect(commandClient(doomed.url)('/accounts', request)).rejects.toThrow();
  expect(await doomed.stop()).toBeNull(); // killed by its own SIGKILL

  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  try {
    const stored = await sql.query<{ event_id: string; stream_id: string }>(
      'SELECT event_id::text, stream_id FROM events',
    );
    expect(stored.rows).toHaveLength(1); // the command was accepted before the crash
    expect((await sql.query('SELECT count(*)::int AS n FROM outbox')).rows[0]).toEqual({ n: 1 });

    const restarted = await startService('accounts-command', env);
    try {
      // The client retries with its key and gets the outcome the crash swallowed.
      const retry = await commandClient(restarted.url)('/accounts', request);
      expect(retry).toMatchObject({
        status: 201,
        body: { accountId: stored.rows[0]!.stream_id, version: 1 },
      });
      await waitUntil(
        'outbox drained',
        async () => (await sql.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n === 0,
        {
          timeoutMs: 30_000,
        },
      );
    } finally {
      await restarted.stop();
    }
    const messages = await readTopic(infra.kafkaBrokers, topic, 2, 5_000);
    expect(messages.map((m) => m.eventId)).toEqual([stored.rows[0]!.event_id]);
    expect((await sql.query('SELECT count(*)::int AS n FROM events')).rows[0]).toEqual({ n: 1 });
  } finally {
    await sql.end();
  }
});
