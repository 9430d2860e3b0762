/**
 * pnpm demo, transfers: money between two accounts through the gateway, moved by the transfer
 * process across both contexts: one that completes, one refused for lack of funds, and one to
 * a closed account whose debit is refunded. Exits non-zero when a verdict is not the expected one.
 */
import { randomUUID } from 'node:crypto';
import { runDemo, type DemoClient } from '@cqrs/testing';

const key = (): { 'idempotency-key': string } => ({ 'idempotency-key': randomUUID() });

runDemo(async ({ call, step, note }) => {
  const open = async (who: string, deposit: number): Promise<string> => {
    const opened = await call(who, 'POST', '/accounts', { body: { currency: 'EUR' } });
    const id = opened.body['accountId'] as string;
    if (deposit > 0)
      await call(who, 'POST', `/accounts/${id}/deposits`, {
        body: { amount: deposit },
        headers: key(),
      });
    return id;
  };
  /** Requests a transfer, then waits for its verdict with Prefer: wait. */
  const transfer = async (from: string, to: string, amount: number, expected: string) => {
    const posted = await call('alice', 'POST', '/transfers', {
      body: { fromAccountId: from, toAccountId: to, amount },
      headers: key(),
    });
    const id = posted.body['transferId'] as string;
    note('202: stored; the transfer process moves the money (debit, credit, refund if needed)');
    const token = posted.body['consistencyToken'] as string;
    const read = await settled({ call, step, note }, id, token);
    if (read !== expected) throw new Error(`transfer ${id}: ${read}, expected ${expected}`);
  };

  step('1. Alice (with 1000) and Bob open accounts');
  const alice = await open('alice', 1000);
  const bob = await open('bob', 0);

  step('2. Alice sends Bob 400: debit, credit, completed');
  await transfer(alice, bob, 400, 'completed');

  step('3. Alice tries to send 5000: refused at the debit, failed, nothing moved');
  await transfer(alice, bob, 5000, 'failed');

  step('4. Carol closes her account; Alice sends her 100: debited, refused, refunded, failed');
  const carol = await open('carol', 0);
  await call('carol', 'POST', `/accounts/${carol}/close`);
  await transfer(alice, carol, 100, 'failed');

  step('5. The legs in Alice’s history, and her transfers');
  await call('alice', 'GET', `/accounts/${alice}/transactions`);
  await call('alice', 'GET', '/transfers?limit=5');
  note('600 left: 1000 - 400; the refused and the refunded transfer net to zero');
});

/**
 * The transfer's status once it is no longer pending: the consistency token makes the read wait
 * until the read model has the request, Prefer: wait until the verdict (up to 5 s per read).
 */
async function settled({ call }: DemoClient, id: string, token: string): Promise<string> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const read = await call('alice', 'GET', `/transfers/${id}`, {
      headers: { prefer: 'wait=5', 'x-consistency-token': token },
    });
    const status = read.body['status'];
    if (read.status === 200 && status !== 'pending') return String(status);
  }
  return 'pending';
}
