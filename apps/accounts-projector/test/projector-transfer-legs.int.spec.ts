import { randomUUID } from 'node:crypto';
import { testInfra, uniqueId, uniqueTopic } from '@cqrs/testing';
import { listTransactions } from '../src/list-transactions/list-transactions.query';
import { foldExpected, storedEvent } from './support/account-events.fixture';
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
 * The legs of transfers in the read model: a debit, a credit and a refund move the balances
 * exactly as the domain folds them, and each shows up in its account's history with its type
 * and transfer id; deposits keep their old shape. Real Kafka and Postgres.
 */
const infra = testInfra();
const kafka = testKafka(infra.kafkaBrokers);
const schema = 'rm';
const bed = projectorTestbed(kafka, infra.databaseUrl, 'projector-transfer-legs', 4);

jest.setTimeout(90_000);

it('given a debit, a credit and a refund, when projected, then balances follow and each is a transaction with its transferId', async () => {
  const { db, pool, producer } = bed;
  const topic = uniqueTopic('transfer-legs');
  await createTopic(kafka, topic);
  const projection = await migrated(pool, db.url, schema);

  const alice = randomUUID();
  const bob = randomUUID();
  const completed = randomUUID(); // alice -> bob, 300
  const failed = randomUUID(); // alice -> ?, 200, debited then refunded
  const at = (n: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + n * 1000).toISOString();
  const events = [
    storedEvent(
      alice,
      1,
      'AccountOpened',
      { accountId: alice, ownerId: 'alice', currency: 'EUR' },
      at(1),
    ),
    storedEvent(
      bob,
      1,
      'AccountOpened',
      { accountId: bob, ownerId: 'bob', currency: 'EUR' },
      at(2),
    ),
    storedEvent(
      alice,
      2,
      'MoneyDeposited',
      { accountId: alice, amount: 1000, balanceAfter: 1000 },
      at(3),
    ),
    storedEvent(
      alice,
      3,
      'AccountDebitedForTransfer',
      { accountId: alice, transferId: completed, amount: 300, balanceAfter: 700 },
      at(4),
    ),
    storedEvent(
      bob,
      2,
      'AccountCreditedForTransfer',
      { accountId: bob, transferId: completed, amount: 300, balanceAfter: 300 },
      at(5),
    ),
    storedEvent(
      alice,
      4,
      'AccountDebitedForTransfer',
      { accountId: alice, transferId: failed, amount: 200, balanceAfter: 500 },
      at(6),
    ),
    storedEvent(
      alice,
      5,
      'AccountRefundedForTransfer',
      { accountId: alice, transferId: failed, amount: 200, balanceAfter: 700 },
      at(7),
    ),
  ];
  await produce(producer, topic, events);

  const runtime = startRuntime({
    kafka,
    pool,
    topic,
    groupId: uniqueId('legs'),
    schema,
    projection,
  });
  await runtime.start();
  try {
    await waitForCheckpoints(pool, schema, topic, events.length);
  } finally {
    await runtime.stop();
  }

  const accounts = await readAccounts(pool, schema);
  expect(accounts).toEqual(foldExpected(events));
  expect(Object.fromEntries(accounts.map((a) => [a.ownerId, a.balance]))).toEqual({
    alice: 700,
    bob: 300,
  });

  const history = async (accountId: string, owner: string) =>
    (await listTransactions(pool, schema, accountId, owner, 50, 0))?.items.map(
      ({ occurredAt: _at, ...item }) => item,
    );
  expect(await history(alice, 'alice')).toEqual([
    { type: 'deposit', amount: 1000, balanceAfter: 1000, version: 2 },
    { type: 'transfer-out', transferId: completed, amount: 300, balanceAfter: 700, version: 3 },
    { type: 'transfer-out', transferId: failed, amount: 200, balanceAfter: 500, version: 4 },
    { type: 'transfer-refund', transferId: failed, amount: 200, balanceAfter: 700, version: 5 },
  ]);
  expect(await history(bob, 'bob')).toEqual([
    { type: 'transfer-in', transferId: completed, amount: 300, balanceAfter: 300, version: 2 },
  ]);
  // Someone else's history stays hidden, legs or not.
  expect(await history(bob, 'alice')).toBeUndefined();
});

it('given the read model, when a leg row lacks its transfer or a deposit names one, then the database refuses it', async () => {
  const { pool } = bed;
  const insert = (type: string, transferId: string | null) =>
    pool.query(
      `INSERT INTO ${schema}.account_transactions
         (account_id, version, type, amount, balance_after, occurred_at, transfer_id)
       VALUES ($1, 1, $2, 1, 1, now(), $3)`,
      [randomUUID(), type, transferId],
    );
  await expect(insert('transfer-out', null)).rejects.toThrow(
    /account_transactions_transfer_id_check/,
  );
  await expect(insert('deposit', randomUUID())).rejects.toThrow(
    /account_transactions_transfer_id_check/,
  );
  await expect(insert('gift', randomUUID())).rejects.toThrow(/account_transactions_type_check/);
  await expect(insert('transfer-in', randomUUID())).resolves.toBeDefined();
});
