import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createTestDatabase,
  startService,
  testInfra,
  uniqueTopic,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import { commandClient, INTERNAL_TOKEN } from './support/command-client';
import { startCommitCuttingProxy, type CommitCuttingProxy } from './support/commit-cutting-proxy';

/**
 * The database connection dies after COMMIT, before the answer: the service cannot know whether
 * the command was applied. It must say so (504 COMMAND_OUTCOME_UNKNOWN, not 503 "retry"), and
 * a retry with the same Idempotency-Key must answer the stored outcome, appending nothing twice.
 */
const infra = testInfra();
let db: TestDatabase;
let proxy: CommitCuttingProxy;
let service: ServiceProcess;
let sql: Client;

jest.setTimeout(60_000);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-outcome-unknown');
  proxy = await startCommitCuttingProxy(db.url);
  service = await startService('accounts-command', {
    DATABASE_URL: proxy.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN,
    ACCOUNTS_EVENTS_TOPIC: uniqueTopic('command-outcome-unknown'),
    OUTBOX_RELAY: 'false',
  });
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await service?.stop('SIGTERM');
  await proxy?.close();
  await db?.drop();
});

const moneyEvents = async (accountId: string): Promise<number> =>
  Number(
    (
      await sql.query(
        "SELECT count(*) AS n FROM events WHERE stream_id = $1 AND type = 'MoneyDeposited'",
        [accountId],
      )
    ).rows[0].n,
  );

it('answers 504 COMMAND_OUTCOME_UNKNOWN when the answer of a commit is lost; a keyed retry applies nothing twice', async () => {
  const call = commandClient(service.url);
  const opened = await call('/accounts', { actor: 'alice', body: { currency: 'EUR' } });
  expect(opened.status).toBe(201);
  const id = opened.body.accountId as string;
  const key = randomUUID();
  const deposit = () =>
    call(`/accounts/${id}/deposits`, {
      actor: 'alice',
      body: { amount: 700 },
      headers: { 'idempotency-key': key },
    });

  proxy.cutAfterNext('event_store_append');
  const lost = await deposit().catch((error: unknown) => {
    throw new Error(`${String(error)}\n${service.output()}`);
  });
  expect(proxy.cuts()).toBe(1);
  expect(lost.status).toBe(504);
  expect(lost.body).toMatchObject({ status: 504, code: 'COMMAND_OUTCOME_UNKNOWN' });
  expect(lost.headers.get('retry-after')).toBeNull(); // not an invitation to retry blindly
  expect(await moneyEvents(id)).toBe(1); // it did commit

  const retry = await deposit();
  expect(retry).toMatchObject({ status: 200, body: { accountId: id, version: 2 } });
  const again = await deposit();
  expect(again.body).toEqual(retry.body);
  expect(await moneyEvents(id)).toBe(1);
  process.stdout.write(
    `lost commit answer -> ${lost.status} ${lost.body.code as string}; keyed retry -> ${retry.status} v${retry.body.version as number}; deposits stored: ${await moneyEvents(id)}\n`,
  );

  // The service recovered its pool: an ordinary command works on a fresh connection.
  expect(
    (await call(`/accounts/${id}/withdrawals`, { actor: 'alice', body: { amount: 1 } })).status,
  ).toBe(200);
});
