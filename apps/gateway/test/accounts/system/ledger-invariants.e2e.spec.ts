import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startRestartableKafka, testInfra, TestStack, type RestartableKafka } from '@cqrs/testing';
import { apiClient, untilDefinitive, type Api, type ApiReply } from './system-client';

/**
 * Load with invariants, under faults: many clients and owners send thousands of random keyed
 * deposits and withdrawals (some with If-Match) while the projector, a command instance and the
 * Kafka broker are killed or restarted. Afterwards every account's balance equals the ledger of
 * the accepted commands, no balance is negative, histories are complete and ordered, and
 * replaying keys changes nothing.
 */
const infra = testInfra();
const OWNERS = ['ana', 'ben', 'chen', 'dara'];
const ACCOUNTS_PER_OWNER = 6;
const CLIENTS = 32;
/** At least this many per client; clients go on until the last fault is over (up to the cap). */
const COMMANDS_PER_CLIENT = 150;
const MAX_COMMANDS_PER_CLIENT = 2_000;

let kafka: RestartableKafka;
let stack: TestStack;

jest.setTimeout(600_000);

beforeAll(async () => {
  kafka = await startRestartableKafka();
  stack = await TestStack.start({
    kafkaBrokers: kafka.brokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'ledger-invariants',
    commandInstances: 2,
    // A load test, not a rate-limit test: the load lasts as long as the faults do.
    env: { gateway: { RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_IP: '0' } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await kafka?.destroy();
});

interface Sent {
  owner: string;
  accountId: string;
  kind: 'deposits' | 'withdrawals';
  amount: number;
  key: string;
  ifMatch?: string;
  reply: ApiReply;
}

it('keeps every invariant through projector, command-service and broker failures', async () => {
  const apis = new Map<string, Api>(OWNERS.map((o) => [o, apiClient(stack.url, stack.token(o))]));
  const api = (owner: string): Api => apis.get(owner)!;

  const accounts: { owner: string; accountId: string }[] = [];
  for (const owner of OWNERS) {
    for (let i = 0; i < ACCOUNTS_PER_OWNER; i++) {
      const r = await untilDefinitive(() =>
        api(owner)('POST', '/accounts', {
          body: { currency: 'EUR' },
          headers: { 'idempotency-key': randomUUID() },
        }),
      );
      expect(r.status).toBe(201);
      accounts.push({ owner, accountId: r.body.accountId });
    }
  }

  // Faults run beside the load, one after the other; the load lasts until they are over, so a
  // faster stack cannot finish its commands before the last fault.
  let loadDone = false;
  let faultsOver = false;
  const faultsDuringLoad: Record<string, boolean> = {};
  const fault = async (name: string, inject: () => Promise<unknown>): Promise<void> => {
    await new Promise((r) => setTimeout(r, 1_500));
    faultsDuringLoad[name] = !loadDone;
    await inject();
  };
  const faults = (async () => {
    await fault('projector SIGKILL', () => stack.crashAndRestart(stack.projector, 500));
    await fault('command SIGKILL', () => stack.crashAndRestart(stack.commands[0]!, 500));
    await fault('broker restart', async () => {
      await kafka.stop();
      await new Promise((r) => setTimeout(r, 2_000));
      await kafka.start();
    });
    faultsOver = true;
  })();

  const sent: Sent[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (
        let n = 0;
        (n < COMMANDS_PER_CLIENT || !faultsOver) && n < MAX_COMMANDS_PER_CLIENT;
        n++
      ) {
        const { owner, accountId } = accounts[Math.floor(Math.random() * accounts.length)]!;
        const kind = Math.random() < 0.6 ? 'deposits' : 'withdrawals';
        const amount = 1 + Math.floor(Math.random() * 500);
        const key = randomUUID();
        let ifMatch: string | undefined;
        if (Math.random() < 0.1) {
          // A conditional command against the version the client last saw (often stale).
          const last = [...sent]
            .reverse()
            .find((s) => s.accountId === accountId && s.reply.status === 200);
          if (last) ifMatch = `"${last.reply.body.version as number}"`;
        }
        const headers: Record<string, string> = {
          'idempotency-key': key,
          ...(ifMatch ? { 'if-match': ifMatch } : {}),
        };
        const reply = await untilDefinitive(() =>
          api(owner)('POST', `/accounts/${accountId}/${kind}`, { body: { amount }, headers }),
        );
        sent.push({ owner, accountId, kind, amount, key, ifMatch, reply });
      }
    }),
  );
  loadDone = true;
  await faults;
  // Each fault hit the system while commands were flowing.
  expect(faultsDuringLoad).toEqual({
    'projector SIGKILL': true,
    'command SIGKILL': true,
    'broker restart': true,
  });

  // Every answer is one the contract allows.
  for (const s of sent) expect([200, 412, 422]).toContain(s.reply.status);
  const accepted = sent.filter((s) => s.reply.status === 200);
  expect(accepted.length).toBeGreaterThan(CLIENTS * COMMANDS_PER_CLIENT * 0.5);
  for (const s of sent.filter((x) => x.reply.status === 422))
    expect(s.reply.body.code).toBe('ACCOUNT_INSUFFICIENT_FUNDS');

  for (const { owner, accountId } of accounts) {
    const mine = accepted.filter((s) => s.accountId === accountId);
    const ledger = mine.reduce((sum, s) => sum + (s.kind === 'deposits' ? s.amount : -s.amount), 0);
    const lastVersion = Math.max(1, ...mine.map((s) => s.reply.body.version as number));
    const token = mine.find((s) => s.reply.body.version === lastVersion)?.reply.body
      .consistencyToken as string | undefined;

    // Read-your-writes: with the token of the last accepted command the answer includes it. The
    // first reads may come while the projector still recovers from the broker restart: then the
    // bounded wait answers `stale`, and the client asks again.
    let account: ApiReply;
    const recoveredBy = Date.now() + 90_000;
    do {
      account = await untilDefinitive(() =>
        api(owner)('GET', `/accounts/${accountId}`, {
          headers: token ? { 'x-consistency-token': token } : {},
          timeoutMs: 30_000,
        }),
      );
    } while (account.headers.get('x-consistency') === 'stale' && Date.now() < recoveredBy);
    expect(account.status).toBe(200);
    expect(account.headers.get('x-consistency')).not.toBe('stale');
    expect(account.body).toMatchObject({
      accountId,
      ownerId: owner,
      balance: ledger,
      version: lastVersion,
      status: 'open',
    });
    expect(account.body.balance).toBeGreaterThanOrEqual(0);

    // The history is complete and ordered: versions 2..last, each movement once, balances chain.
    const items: { type: string; amount: number; balanceAfter: number; version: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiReply = await api(owner)(
        'GET',
        `/accounts/${accountId}/transactions?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(items.map((i) => i.version)).toEqual(
      Array.from({ length: lastVersion - 1 }, (_, i) => i + 2),
    );
    let balance = 0;
    for (const item of items) {
      balance += item.type === 'deposit' ? item.amount : -item.amount;
      expect(item.balanceAfter).toBe(balance);
      expect(item.balanceAfter).toBeGreaterThanOrEqual(0);
    }
    const byVersion = new Map(mine.map((s) => [s.reply.body.version as number, s]));
    for (const item of items) {
      const command = byVersion.get(item.version)!;
      expect({ type: item.type, amount: item.amount }).toEqual({
        type: command.kind === 'deposits' ? 'deposit' : 'withdrawal',
        amount: command.amount,
      });
    }
  }

  // The store holds exactly the accepted commands: nothing lost, nothing doubled.
  const sql = new Client({ connectionString: stack.commandDb.url });
  await sql.connect();
  try {
    const { rows } = await sql.query(
      "SELECT count(*)::int AS n FROM events WHERE type IN ('MoneyDeposited', 'MoneyWithdrawn')",
    );
    expect(rows[0].n).toBe(accepted.length);

    // Repeating requests with the same keys changes nothing and answers the same.
    for (const s of sent.slice(0, 200)) {
      const headers: Record<string, string> = {
        'idempotency-key': s.key,
        ...(s.ifMatch ? { 'if-match': s.ifMatch } : {}),
      };
      const again = await untilDefinitive(() =>
        api(s.owner)('POST', `/accounts/${s.accountId}/${s.kind}`, {
          body: { amount: s.amount },
          headers,
        }),
      );
      expect({ status: again.status, body: again.body }).toEqual({
        status: s.reply.status,
        body: s.reply.body,
      });
    }
    expect(
      (
        await sql.query(
          "SELECT count(*)::int AS n FROM events WHERE type IN ('MoneyDeposited', 'MoneyWithdrawn')",
        )
      ).rows[0].n,
    ).toBe(accepted.length);
  } finally {
    await sql.end();
  }
});
