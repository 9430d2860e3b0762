/**
 * pnpm demo: the accounts API walked through the gateway, step by step (commands, read-your-
 * writes, business rules, idempotency, ownership, the ledger).
 */
import { randomUUID } from 'node:crypto';
import { runDemo } from '@cqrs/testing';

runDemo(async ({ call, step, note }) => {
  // A client names each money-moving command with a fresh key and reuses it only to retry.
  const key = (): string => randomUUID();
  const depositKey = key();
  step('1. Alice opens an account and deposits (commands -> event store -> outbox -> Kafka)');
  const opened = await call('alice', 'POST', '/accounts', { body: { currency: 'EUR' } });
  const id = opened.body['accountId'] as string;
  const deposit = await call('alice', 'POST', `/accounts/${id}/deposits`, {
    body: { amount: 2500 },
    headers: { 'idempotency-key': depositKey },
  });

  step('2. Read-your-writes: the query carries the consistency token, so it sees the deposit');
  await call('alice', 'GET', `/accounts/${id}`, {
    headers: { 'x-consistency-token': deposit.body['consistencyToken'] as string },
  });

  step('3. Business rules and idempotency (money moves only with an Idempotency-Key)');
  await call('alice', 'POST', `/accounts/${id}/withdrawals`, { body: { amount: 1 } });
  note('no Idempotency-Key on a money-moving command: 400, nothing applied');
  await call('alice', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 99_999 },
    headers: { 'idempotency-key': key() },
  });
  await call('alice', 'POST', `/accounts/${id}/deposits`, {
    body: { amount: 2500 },
    headers: { 'idempotency-key': depositKey },
  });
  note('same key, same body: the first outcome again, nothing appended');
  await call('alice', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 1000 },
    headers: { 'if-match': '"1"', 'idempotency-key': key() },
  });
  note('If-Match names a stale version: 412');

  step('4. Ownership: Bob cannot see or touch Alice’s account');
  await call('bob', 'GET', `/accounts/${id}`);
  await call('bob', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 1 },
    headers: { 'idempotency-key': key() },
  });

  step('5. The ledger as Alice sees it');
  const withdrawal = await call('alice', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 1000 },
    headers: { 'idempotency-key': key() },
  });
  await call('alice', 'GET', `/accounts/${id}/transactions`, {
    headers: { 'x-consistency-token': withdrawal.body['consistencyToken'] as string },
  });
  await call('alice', 'GET', '/accounts?limit=5', {
    headers: { 'x-consistency-token': withdrawal.body['consistencyToken'] as string },
  });
});
