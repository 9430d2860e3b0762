import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { STACK_SYSTEM_TOKEN, testInfra, TestStack } from '@cqrs/testing';
import { apiClient, type Api } from './system/system-client';

/**
 * The legs of a transfer as the transfer process will send them: straight to the accounts
 * command service with the system token (the stack hands it SYSTEM_TOKEN from
 * stack.services.json), keyed by `<transferId>:<leg>`. Through the gateway the same paths do not
 * exist. What they did shows up in the public history. Real processes, Kafka and Postgres.
 */
const infra = testInfra();
let stack: TestStack;
let sql: Client;
let alice: Api;
let bob: Api;

jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'transfer-legs',
  });
  sql = new Client({ connectionString: stack.commandDb.url });
  await sql.connect();
  alice = apiClient(stack.url, stack.token('alice'));
  bob = apiClient(stack.url, stack.token('bob'));
});

afterAll(async () => {
  await sql?.end();
  await stack?.stop();
});

const commandUrl = (): string => {
  const [command] = stack.commandsOf('accounts');
  if (!command) throw new Error('no accounts command service');
  return command.url;
};

async function leg(
  accountId: string,
  kind: 'transfer-debits' | 'transfer-credits' | 'transfer-refunds',
  body: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const response = await fetch(`${commandUrl()}/internal/accounts/${accountId}/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const system = (key: string) => ({ 'x-system-token': STACK_SYSTEM_TOKEN, 'idempotency-key': key });

async function open(api: Api, balance: number): Promise<string> {
  const opened = await api('POST', '/accounts', { body: { currency: 'EUR' } });
  expect(opened.status).toBe(201);
  const id = opened.body.accountId as string;
  if (balance > 0)
    expect(
      (await api('POST', `/accounts/${id}/deposits`, { body: { amount: balance } })).status,
    ).toBe(200);
  return id;
}

const legEvents = async (transferId: string): Promise<string[]> =>
  (
    await sql.query<{ type: string }>(
      `SELECT type FROM events WHERE data->>'transferId' = $1 ORDER BY global_position`,
      [transferId],
    )
  ).rows.map((r) => r.type);

it('given the system token, when a debit is sent twice with one key, then it is applied once and the history shows it', async () => {
  const from = await open(alice, 1000);
  const to = await open(bob, 0);
  const transferId = randomUUID();

  const debit = () =>
    leg(from, 'transfer-debits', { transferId, amount: 400 }, system(`${transferId}:debit`));
  const first = await debit();
  expect(first).toMatchObject({ status: 200, body: { accountId: from, version: 3 } });
  expect(await debit()).toEqual(first);
  const credit = await leg(
    to,
    'transfer-credits',
    { transferId, amount: 400, currency: 'EUR' },
    system(`${transferId}:credit`),
  );
  expect(credit).toMatchObject({ status: 200, body: { accountId: to, version: 2 } });
  expect(await legEvents(transferId)).toEqual([
    'AccountDebitedForTransfer',
    'AccountCreditedForTransfer',
  ]);

  const history = await alice('GET', `/accounts/${from}/transactions`, {
    headers: { 'x-consistency-token': String(first.body['consistencyToken']) },
  });
  expect(history.status).toBe(200);
  expect(
    history.body.items.map((i: { type: string; transferId?: string }) => [i.type, i.transferId]),
  ).toEqual([
    ['deposit', undefined],
    ['transfer-out', transferId],
  ]);
  const account = await bob('GET', `/accounts/${to}`, {
    headers: { 'x-consistency-token': String(credit.body['consistencyToken']) },
  });
  expect(account.body).toMatchObject({ balance: 400 });
});

it('given the system rules, when a credit is in another currency or a debit exceeds the balance, then the coded refusal', async () => {
  const id = await open(alice, 100);
  const transferId = randomUUID();
  expect(
    await leg(
      id,
      'transfer-credits',
      { transferId, amount: 1, currency: 'USD' },
      system(randomUUID()),
    ),
  ).toMatchObject({ status: 422, body: { code: 'ACCOUNT_CURRENCY_MISMATCH' } });
  expect(
    await leg(id, 'transfer-debits', { transferId, amount: 101 }, system(randomUUID())),
  ).toMatchObject({ status: 422, body: { code: 'ACCOUNT_INSUFFICIENT_FUNDS' } });
  expect(
    await leg(id, 'transfer-debits', { transferId: 'nope', amount: 1 }, system(randomUUID())),
  ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  expect(await legEvents(transferId)).toEqual([]);

  // The credit failed: the process gives the debit back, and the balance nets to zero.
  await leg(id, 'transfer-debits', { transferId, amount: 60 }, system(`${transferId}:debit`));
  const refund = await leg(
    id,
    'transfer-refunds',
    { transferId, amount: 60 },
    system(`${transferId}:refund`),
  );
  expect(refund).toMatchObject({ status: 200, body: { version: 4 } });
  expect(await legEvents(transferId)).toEqual([
    'AccountDebitedForTransfer',
    'AccountRefundedForTransfer',
  ]);
  const account = await alice('GET', `/accounts/${id}`, {
    headers: { 'x-consistency-token': String(refund.body['consistencyToken']) },
  });
  expect(account.body).toMatchObject({ balance: 100, version: 4 });
});

it('given no or a wrong system token, when a leg is sent, then it is refused and nothing is stored', async () => {
  const id = await open(alice, 100);
  const transferId = randomUUID();
  const body = { transferId, amount: 10 };
  expect(await leg(id, 'transfer-debits', body, { 'idempotency-key': 'k1' })).toMatchObject({
    status: 401,
    body: { code: 'SYSTEM_AUTH_REQUIRED' },
  });
  expect(
    await leg(id, 'transfer-debits', body, {
      'x-system-token': `${STACK_SYSTEM_TOKEN}x`,
      'idempotency-key': 'k2',
    }),
  ).toMatchObject({ status: 403, body: { code: 'SYSTEM_AUTH_INVALID' } });
  expect(await legEvents(transferId)).toEqual([]);
});

it('given a user token, when a leg or the owner lookup is asked of the gateway, then there is no such route', async () => {
  const id = await open(alice, 100);
  const transferId = randomUUID();
  for (const kind of ['transfer-debits', 'transfer-credits', 'transfer-refunds'])
    expect(
      (
        await alice('POST', `/internal/accounts/${id}/${kind}`, {
          body: { transferId, amount: 10, currency: 'EUR' },
          headers: { 'x-system-token': STACK_SYSTEM_TOKEN, 'idempotency-key': randomUUID() },
        })
      ).status,
    ).toBe(404);
  expect((await alice('GET', `/internal/accounts/${id}/owner`)).status).toBe(404);
  expect(await legEvents(transferId)).toEqual([]);
});

it('given the system token, when the owner is looked up, then the event store answers it', async () => {
  const id = await open(bob, 0);
  const lookup = async (accountId: string, headers: Record<string, string>) => {
    const r = await fetch(`${commandUrl()}/internal/accounts/${accountId}/owner`, { headers });
    return { status: r.status, body: await r.json() };
  };
  const token = { 'x-system-token': STACK_SYSTEM_TOKEN };
  expect(await lookup(id, token)).toEqual({
    status: 200,
    body: { accountId: id, ownerId: 'bob', currency: 'EUR', status: 'open' },
  });
  expect(await lookup(randomUUID(), token)).toMatchObject({
    status: 404,
    body: { code: 'ACCOUNT_NOT_FOUND' },
  });
  expect(await lookup(id, {})).toMatchObject({
    status: 401,
    body: { code: 'SYSTEM_AUTH_REQUIRED' },
  });
});
