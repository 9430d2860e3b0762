import { randomUUID } from 'node:crypto';
import { testInfra, uniqueId, uniqueTopic, waitUntil } from '@cqrs/testing';
import { storedEvent } from './support/account-events.fixture';
import {
  createTopic,
  migrated,
  produce,
  projectorTestbed,
  readAccounts,
  startRuntime,
  testKafka,
  waitForCheckpoints,
} from './support/projector-harness.fixture';

/**
 * A version that arrives before the one it follows parks its stream (no dead letter: nothing
 * is wrong with the event). When the missing version arrives, both are applied, in order, once,
 * and the stream flows again without the replay command.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const schema = 'rm';
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-gap', 6);

jest.setTimeout(60_000);

it('unparks a stream when the missing version arrives: 3 before 2, both applied in order, once', async () => {
  const { pool, db, producer } = bed;
  const topic = uniqueTopic('gap');
  await createTopic(kafka, topic, 1);
  const projection = await migrated(pool, db.url, schema);
  const runtime = startRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('gap'),
    schema,
    projection,
  });
  await runtime.start();
  const accountId = randomUUID();
  const v1 = storedEvent(accountId, 1, 'AccountOpened', {
    accountId,
    ownerId: 'alice',
    currency: 'EUR',
  });
  const v2 = storedEvent(accountId, 2, 'MoneyDeposited', {
    accountId,
    amount: 100,
    balanceAfter: 100,
  });
  const v3 = storedEvent(accountId, 3, 'MoneyWithdrawn', {
    accountId,
    amount: 30,
    balanceAfter: 70,
  });
  const v4 = storedEvent(accountId, 4, 'MoneyDeposited', {
    accountId,
    amount: 5,
    balanceAfter: 75,
  });
  try {
    await produce(producer, topic, [v1, v3]);
    await waitForCheckpoints(pool, schema, topic, 2);
    // Version 3 waits for 2: parked, nothing applied over the hole.
    const parked = await pool.query(`SELECT stream_version FROM ${schema}.projector_parked`);
    expect(parked.rows).toEqual([{ stream_version: 3 }]);
    expect((await readAccounts(pool, schema))[0]).toMatchObject({ version: 1, balance: 0 });

    // The gap fills (and 3 is redelivered, and 4 follows): each applies once, in order.
    await produce(producer, topic, [v2, v3, v4]);
    await waitForCheckpoints(pool, schema, topic, 5);
    await waitUntil(
      'account at version 4',
      async () => {
        const [account] = await readAccounts(pool, schema);
        return account?.version === 4;
      },
      { timeoutMs: 10_000 },
    );
    expect(await readAccounts(pool, schema)).toEqual([
      { accountId, ownerId: 'alice', currency: 'EUR', balance: 75, status: 'open', version: 4 },
    ]);
    const moves = await pool.query(
      `SELECT version, type, amount::int, balance_after::int
         FROM ${schema}.account_transactions ORDER BY version`,
    );
    expect(moves.rows).toEqual([
      { version: 2, type: 'deposit', amount: 100, balance_after: 100 },
      { version: 3, type: 'withdrawal', amount: 30, balance_after: 70 },
      { version: 4, type: 'deposit', amount: 5, balance_after: 75 },
    ]);
    const stream = await pool.query(
      `SELECT version, parked_at FROM ${schema}.projector_streams WHERE stream_id = $1`,
      [accountId],
    );
    expect(stream.rows).toEqual([{ version: 4, parked_at: null }]);
    expect((await pool.query(`SELECT 1 FROM ${schema}.projector_parked`)).rowCount).toBe(0);
    expect((await pool.query(`SELECT 1 FROM ${schema}.projector_dead_letters`)).rowCount).toBe(0);
  } finally {
    await runtime.stop();
  }
});
