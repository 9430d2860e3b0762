import { Client } from 'pg';
import {
  createTestDatabase,
  startService,
  testInfra,
  uniqueTopic,
  type ServiceProcess,
  type TestDatabase,
} from '@cqrs/testing';
import { commandClient, INTERNAL_TOKEN, type Reply } from './support/command-client';

/**
 * One account hammered by concurrent commands must not hurt the service: its excess commands
 * are refused as a conflict of that account (409 with Retry-After, never a 5xx that a gateway
 * would take for a failing instance), and every other account's commands go through.
 */
const infra = testInfra();
let db: TestDatabase;
let service: ServiceProcess;
let sql: Client;

jest.setTimeout(120_000);

const HOT_CONCURRENCY = 200;
const HOT_ROUNDS = 3;
const BYSTANDERS = 8;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-contention');
  service = await startService('accounts-command', {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN,
    ACCOUNTS_EVENTS_TOPIC: uniqueTopic('command-contention'),
    COMMAND_MAX_QUEUED_PER_ACCOUNT: '32',
  });
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await service?.stop('SIGTERM');
  await db?.drop();
});

const tally = (replies: Reply[]): Record<number, number> =>
  replies.reduce<Record<number, number>>(
    (t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }),
    {},
  );

it('answers a hot account with 200 or 409 only, and a bystander sees no error at all', async () => {
  const call = commandClient(service.url);
  const open = async (actor: string): Promise<string> =>
    (await call('/accounts', { actor, body: { currency: 'EUR' } })).body.accountId as string;
  const hot = await open('hot');
  const bystanders = await Promise.all(
    Array.from({ length: BYSTANDERS }, (_, i) => open(`bystander-${i}`)),
  );

  let hammering = true;
  const bystanderReplies: Reply[] = [];
  const bystanderLoad = Promise.all(
    bystanders.map(async (id, i) => {
      while (hammering) {
        bystanderReplies.push(
          await call(`/accounts/${id}/deposits`, { actor: `bystander-${i}`, body: { amount: 1 } }),
        );
      }
    }),
  );
  const hotReplies: Reply[] = [];
  for (let round = 0; round < HOT_ROUNDS; round++) {
    hotReplies.push(
      ...(await Promise.all(
        Array.from({ length: HOT_CONCURRENCY }, () =>
          call(`/accounts/${hot}/deposits`, { actor: 'hot', body: { amount: 1 } }),
        ),
      )),
    );
  }
  hammering = false;
  await bystanderLoad;

  const hotTally = tally(hotReplies);
  const bystanderTally = tally(bystanderReplies);
  const bystanderErrors = bystanderReplies.filter((r) => r.status !== 200).length;
  process.stdout.write(
    `hot account: ${hotReplies.length} concurrent deposits -> ${JSON.stringify(hotTally)}; ` +
      `bystanders: ${bystanderReplies.length} deposits -> ${JSON.stringify(bystanderTally)}, ` +
      `error rate ${((100 * bystanderErrors) / Math.max(1, bystanderReplies.length)).toFixed(2)}%\n`,
  );
  expect(bystanderReplies.length).toBeGreaterThan(0);
  expect(bystanderErrors).toBe(0);
  expect(Object.keys(hotTally).filter((s) => s !== '200' && s !== '409')).toEqual([]);
  for (const r of hotReplies.filter((r) => r.status === 409)) {
    expect(r.body).toMatchObject({ status: 409, code: 'CONCURRENCY_CONTENDED' });
    expect(r.headers.get('retry-after')).toBe('1');
  }
  // Every accepted deposit is stored once, every refused one not at all.
  const { rows } = await sql.query<{ n: string }>(
    "SELECT count(*) AS n FROM events WHERE stream_id = $1 AND type = 'MoneyDeposited'",
    [hot],
  );
  expect(Number(rows[0]!.n)).toBe(hotTally[200] ?? 0);
});
