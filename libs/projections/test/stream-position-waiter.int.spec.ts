import { Client } from 'pg';
import { createPool } from '@cqrs/platform';
import { createTestDatabase, testInfra, waitUntil, type TestDatabase } from '@cqrs/testing';
import { positionsChannel, StreamPositionWaiter } from '../src';
import { runtimeTables, setStreamVersion } from './support/runtime-tables.harness';

/**
 * The waiter's LISTEN session is closed by the server (pg_terminate_backend, as a restart or a
 * failover does): it LISTENs again on a new session by itself, and waits registered afterwards
 * are woken by notifications, not by the safety poll (set far beyond the test's bound here).
 */
const infra = testInfra();
const schema = 'waiter_rm';
const projection = 'waiter';
let db: TestDatabase;
let waiter: StreamPositionWaiter;
const errors: string[] = [];
const quiet = { warn: () => undefined };

jest.setTimeout(60_000);

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: infra.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const listenPids = (): Promise<number[]> =>
  admin(async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'`,
      [db.name],
    );
    return rows.map((r) => r.pid);
  });

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'waiter');
});

afterAll(async () => {
  await waiter?.stop();
  await db?.drop();
});

it('re-LISTENs after its session is terminated and is woken by notifications again', async () => {
  const pool = createPool({ connectionString: db.url, max: 2 }, quiet);
  await runtimeTables(pool, schema);
  waiter = new StreamPositionWaiter({
    pool,
    listen: { connectionString: db.url },
    schema,
    projection,
    onError: (error) => errors.push(error.message),
    safetyPollMs: 600_000,
  });
  await waiter.start();
  const apply = async (streamId: string, version: number): Promise<void> => {
    await setStreamVersion(pool, schema, { projection, streamId, version });
    await pool.query('SELECT pg_notify($1, $2)', [positionsChannel(projection), streamId]);
  };

  for (let round = 1; round <= 2; round++) {
    const [before] = await listenPids();
    expect(before).toBeDefined();
    await admin((c) => c.query('SELECT pg_terminate_backend($1)', [before]));
    await waitUntil(
      'a new LISTEN session',
      async () => {
        const pids = await listenPids();
        return pids.length === 1 && pids[0] !== before && waiter.listening();
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );

    const started = Date.now();
    const woken = waiter.waitFor('s1', round, 30_000);
    await apply('s1', round);
    // Bound well under the wait's own timeout: only a notification can answer this early.
    let bound: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      woken,
      new Promise((r) => (bound = setTimeout(() => r('not woken'), 10_000))),
    ]);
    clearTimeout(bound);
    expect(result).toEqual({ reached: true, version: round });
    process.stdout.write(
      `waiter woken ${Date.now() - started} ms after the commit (round ${round})\n`,
    );
  }
  expect(errors.some((e) => /terminat/i.test(e))).toBe(true);
  await pool.end();
});
