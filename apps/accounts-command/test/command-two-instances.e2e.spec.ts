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
 * Two command-service instances on one database, hammering overlapping accounts: their group
 * commits write many accounts per transaction, so a careless insert order deadlocks them. The
 * answers are only the documented ones, no batch is rolled back for a deadlock, and the ledger
 * adds up: every accepted command stored once, nothing else.
 */
const infra = testInfra();
let db: TestDatabase;
let instances: ServiceProcess[] = [];
let sql: Client;

jest.setTimeout(180_000);

const ACCOUNTS = 40;
const CLIENTS = 48;
const COMMANDS_PER_CLIENT = 60;
const DOCUMENTED = new Set([200, 409, 422]);

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'command-two-instances');
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    INTERNAL_TOKEN,
    ACCOUNTS_EVENTS_TOPIC: uniqueTopic('command-two-instances'),
  };
  // One after the other: both migrate on boot (serialised by an advisory lock anyway).
  instances.push(await startService('accounts-command', env));
  instances.push(await startService('accounts-command', env));
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await Promise.all(instances.map((s) => s.stop('SIGTERM')));
  instances = [];
  await db?.drop();
});

async function metric(service: ServiceProcess, name: string): Promise<number> {
  const text = await (
    await fetch(`${service.url}/metrics`, { headers: { 'x-internal-token': INTERNAL_TOKEN } })
  ).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) throw new Error(`${name} is not exported`);
  return Number(line.split(' ')[1]);
}

it('answers only documented statuses, never deadlocks, and keeps every balance exact', async () => {
  const calls = instances.map((s) => commandClient(s.url));
  const ids: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const r = await calls[i % 2]!('/accounts', { actor: 'owner', body: { currency: 'EUR' } });
    ids.push(r.body.accountId as string);
  }

  const sent: { id: string; kind: 'deposits' | 'withdrawals'; amount: number; reply: Reply }[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = 0; n < COMMANDS_PER_CLIENT; n++) {
        // Overlapping accounts on both instances, in different orders per client.
        const id = ids[(client * 7 + n * (client % 2 === 0 ? 1 : ACCOUNTS - 1)) % ACCOUNTS]!;
        const kind = Math.random() < 0.65 ? 'deposits' : 'withdrawals';
        const amount = 1 + Math.floor(Math.random() * 100);
        const reply = await calls[(client + n) % 2]!(`/accounts/${id}/${kind}`, {
          actor: 'owner',
          body: { amount },
        });
        sent.push({ id, kind, amount, reply });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const statuses: Record<number, number> = {};
  for (const s of sent) statuses[s.reply.status] = (statuses[s.reply.status] ?? 0) + 1;
  process.stdout.write(
    `two instances: ${sent.length} commands in ${seconds.toFixed(1)} s -> ${JSON.stringify(statuses)}\n`,
  );
  expect(
    Object.keys(statuses)
      .map(Number)
      .filter((s) => !DOCUMENTED.has(s)),
  ).toEqual([]);
  const retries = await Promise.all(
    instances.map((s) => metric(s, 'event_store_append_transient_retries_total')),
  );
  process.stdout.write(`transient reruns per instance: ${JSON.stringify(retries)}\n`);
  expect(retries).toEqual([0, 0]);
  for (const instance of instances) expect(instance.output()).not.toMatch(/deadlock/i);

  // The ledger adds up per account: stored money events are exactly the accepted commands.
  const { rows } = await sql.query<{ stream_id: string; type: string; amount: number }>(
    `SELECT stream_id, type, (data->>'amount')::int AS amount FROM events
      WHERE type IN ('MoneyDeposited', 'MoneyWithdrawn')`,
  );
  const stored = new Map<string, number>();
  for (const row of rows)
    stored.set(
      row.stream_id,
      (stored.get(row.stream_id) ?? 0) + (row.type === 'MoneyDeposited' ? row.amount : -row.amount),
    );
  const accepted = new Map<string, number>();
  for (const s of sent.filter((s) => s.reply.status === 200))
    accepted.set(s.id, (accepted.get(s.id) ?? 0) + (s.kind === 'deposits' ? s.amount : -s.amount));
  expect(rows.length).toBe(sent.filter((s) => s.reply.status === 200).length);
  for (const id of ids) {
    expect([id, stored.get(id) ?? 0]).toEqual([id, accepted.get(id) ?? 0]);
    expect(stored.get(id) ?? 0).toBeGreaterThanOrEqual(0);
  }
});
