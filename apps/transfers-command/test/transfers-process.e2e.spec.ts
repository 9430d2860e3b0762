import { randomUUID } from 'node:crypto';
import { gatewayCaller, STACK_INTERNAL_TOKEN, testInfra, TestStack } from '@cqrs/testing';

/**
 * Transfers end to end through the gateway, every service a real process on real Kafka and
 * Postgres: POST /transfers (the source looked up on the accounts side), the transfer process
 * (started from Kafka by transfers-projector, commanding accounts-command and transfers-command
 * as the system), the accounts' legs in their histories, and the verdict on GET /transfers/{id}.
 */
const infra = testInfra();
let stack: TestStack;

jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'transfers-process',
  });
});

afterAll(async () => {
  await stack?.stop();
});

type Body = Record<string, unknown>;

/** A request through the gateway as `subject` (the stack exists once beforeAll ran). */
const call = (...args: Parameters<ReturnType<typeof gatewayCaller>>) =>
  gatewayCaller(stack)(...args);

const keyed = () => ({ 'idempotency-key': randomUUID() });

async function openAccount(owner: string, currency: string, deposit = 0): Promise<string> {
  const opened = await call(owner, 'POST', '/accounts', { body: { currency } });
  expect(opened.status).toBe(201);
  const accountId = String(opened.body['accountId']);
  if (deposit > 0) {
    const path = `/accounts/${accountId}/deposits`;
    const deposited = await call(owner, 'POST', path, {
      body: { amount: deposit },
      headers: keyed(),
    });
    expect(deposited.status).toBe(200);
  }
  return accountId;
}

async function transfer(owner: string, fromAccountId: string, toAccountId: string, amount: number) {
  const posted = await call(owner, 'POST', '/transfers', {
    body: { fromAccountId, toAccountId, amount },
    headers: keyed(),
  });
  expect(posted.status).toBe(202);
  return posted;
}

/** The transfer once the process has given its verdict (Prefer: wait, repeated to a bound). */
async function settled(owner: string, transferId: string, token: string): Promise<Body> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    // The token holds the read until the request is projected; the wait, until the verdict.
    const read = await call(owner, 'GET', `/transfers/${transferId}`, {
      headers: { prefer: 'wait=5', 'x-consistency-token': token },
    });
    expect(read.status).toBe(200);
    if (read.status === 200 && read.body['status'] !== 'pending') return read.body;
    if (Date.now() > deadline)
      throw new Error(`transfer ${transferId} still ${JSON.stringify(read.body)}`);
  }
}

const ids = (posted: { body: Body }) => ({
  transferId: String(posted.body['transferId']),
  token: String(posted.body['consistencyToken']),
});

/** The balance once the account's read model has every event up to the last one we know. */
async function balanceOf(owner: string, accountId: string): Promise<number> {
  const read = await call(owner, 'GET', `/accounts/${accountId}`);
  expect(read.status).toBe(200);
  return Number(read.body['balance']);
}

async function historyOf(owner: string, accountId: string): Promise<Body[]> {
  const read = await call(owner, 'GET', `/accounts/${accountId}/transactions?limit=50`);
  expect(read.status).toBe(200);
  return read.body['items'] as Body[];
}

/** Read models are eventual: retried until `check` passes or 20 s pass. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('a transfer through the gateway', () => {
  it('given funds, when alice transfers to bob, then 202 pending with a Location, then completed; both histories show the legs', async () => {
    const from = await openAccount('alice', 'EUR', 1_000);
    const to = await openAccount('bob', 'EUR');
    const posted = await transfer('alice', from, to, 400);
    const transferId = String(posted.body['transferId']);
    expect(posted.body).toMatchObject({ status: 'pending', consistencyToken: expect.any(String) });
    expect(posted.headers.get('location')).toBe(`/transfers/${transferId}`);

    const done = await settled('alice', transferId, String(posted.body['consistencyToken']));
    expect(done).toMatchObject({
      transferId,
      fromAccountId: from,
      toAccountId: to,
      amount: 400,
      currency: 'EUR',
      status: 'completed',
      failureCode: null,
    });
    await eventually(async () => {
      expect(await balanceOf('alice', from)).toBe(600);
      expect(await balanceOf('bob', to)).toBe(400);
    });
    expect(await historyOf('alice', from)).toEqual([
      expect.objectContaining({ type: 'deposit', amount: 1_000 }),
      expect.objectContaining({ type: 'transfer-out', amount: 400, transferId }),
    ]);
    expect(await historyOf('bob', to)).toEqual([
      expect.objectContaining({ type: 'transfer-in', amount: 400, transferId }),
    ]);

    // Operators see the process behind it: done, after its three steps, none retried.
    const processUrl = `${stack.projectorOf('transfers').url}/workers/transfer_process/${transferId}`;
    const process = await fetch(processUrl, {
      headers: { 'x-internal-token': STACK_INTERNAL_TOKEN },
    });
    expect(process.status).toBe(200);
    expect(await process.json()).toMatchObject({
      processId: transferId,
      status: 'done',
      step: null,
      attempts: 0,
      state: { phase: 'done', amount: 400 },
    });
    expect((await fetch(processUrl)).status).toBe(401);
  });

  it('given too little money, when alice transfers, then it fails ACCOUNT_INSUFFICIENT_FUNDS and nothing moves', async () => {
    const from = await openAccount('alice', 'EUR', 100);
    const to = await openAccount('bob', 'EUR');
    const { transferId, token } = ids(await transfer('alice', from, to, 500));
    expect(await settled('alice', transferId, token)).toMatchObject({
      status: 'failed',
      failureCode: 'ACCOUNT_INSUFFICIENT_FUNDS',
    });
    expect(await balanceOf('alice', from)).toBe(100);
    expect(await balanceOf('bob', to)).toBe(0);
  });

  it('given a closed destination, when alice transfers, then the debit is refunded and it fails TRANSFER_DESTINATION_UNAVAILABLE', async () => {
    const from = await openAccount('alice', 'EUR', 300);
    const to = await openAccount('bob', 'EUR');
    expect((await call('bob', 'POST', `/accounts/${to}/close`)).status).toBe(200);
    const { transferId, token } = ids(await transfer('alice', from, to, 200));
    expect(await settled('alice', transferId, token)).toMatchObject({
      status: 'failed',
      failureCode: 'TRANSFER_DESTINATION_UNAVAILABLE',
    });
    await eventually(async () => {
      expect(await balanceOf('alice', from)).toBe(300);
      expect(await historyOf('alice', from)).toEqual([
        expect.objectContaining({ type: 'deposit' }),
        expect.objectContaining({ type: 'transfer-out', amount: 200, transferId }),
        expect.objectContaining({ type: 'transfer-refund', amount: 200, transferId }),
      ]);
    });
  });

  it('given another currency at the destination, when alice transfers, then it is refunded and fails TRANSFER_CURRENCY_MISMATCH', async () => {
    const from = await openAccount('alice', 'EUR', 300);
    const to = await openAccount('bob', 'USD');
    const { transferId, token } = ids(await transfer('alice', from, to, 50));
    expect(await settled('alice', transferId, token)).toMatchObject({
      status: 'failed',
      failureCode: 'TRANSFER_CURRENCY_MISMATCH',
    });
    await eventually(async () => expect(await balanceOf('alice', from)).toBe(300));
  });

  it('given an unknown destination, when alice transfers, then it fails TRANSFER_DESTINATION_UNAVAILABLE', async () => {
    const from = await openAccount('alice', 'EUR', 300);
    const { transferId, token } = ids(await transfer('alice', from, randomUUID(), 10));
    expect(await settled('alice', transferId, token)).toMatchObject({
      status: 'failed',
      failureCode: 'TRANSFER_DESTINATION_UNAVAILABLE',
    });
  });

  it('given the same Idempotency-Key twice, when posted, then one transfer, one debit', async () => {
    const from = await openAccount('alice', 'EUR', 300);
    const to = await openAccount('bob', 'EUR');
    const headers = keyed();
    const body = { fromAccountId: from, toAccountId: to, amount: 100 };
    const first = await call('alice', 'POST', '/transfers', { body, headers });
    const again = await call('alice', 'POST', '/transfers', { body, headers });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    await settled('alice', ids(first).transferId, ids(first).token);
    await eventually(async () => expect(await balanceOf('alice', from)).toBe(200));
  });

  it("given alice's account, when bob starts a transfer from it or reads alice's transfer, then 404", async () => {
    const from = await openAccount('alice', 'EUR', 300);
    const to = await openAccount('bob', 'EUR');
    const stolen = await call('bob', 'POST', '/transfers', {
      body: { fromAccountId: from, toAccountId: to, amount: 10 },
      headers: keyed(),
    });
    expect(stolen.status).toBe(404);
    expect(stolen.body['code']).toBe('ACCOUNT_NOT_FOUND');
    const transferId = String((await transfer('alice', from, to, 10)).body['transferId']);
    expect((await call('bob', 'GET', `/transfers/${transferId}`)).status).toBe(404);
    const bobs = await call('bob', 'GET', '/transfers');
    expect((bobs.body['items'] as Body[]).map((t) => t['transferId'])).not.toContain(transferId);
  });
});
