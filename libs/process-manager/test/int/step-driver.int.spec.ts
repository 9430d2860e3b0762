import { createPool } from '@cqrs/platform';
import { waitUntil } from '@cqrs/testing';
import { Registry } from 'prom-client';
import { ProcessMetrics, type StepDriver } from '../../src';
import type { HandoffState } from '../support/handoff-process.fixture';
import {
  handoffDriver,
  portTo,
  processTestbed,
  SCHEMA,
  startHandoffs,
  statusOf,
  SYSTEM_TOKEN,
} from '../support/process-testbed';
import { problemAnswer } from '../support/script-server';

/**
 * The step driver against real Postgres and a scripted HTTP upstream: every step is sent with
 * its deterministic key, retried on "not now", re-sent with the same key after a crash between
 * send and commit, and never sent by two drivers at once.
 */
const bed = processTestbed('process-step-driver');
jest.setTimeout(60_000);

let drivers: StepDriver<HandoffState>[] = [];
afterEach(async () => {
  await Promise.all(drivers.map((d) => d.stop()));
  drivers = [];
});
const running = async (driver: StepDriver<HandoffState>): Promise<StepDriver<HandoffState>> => {
  drivers.push(driver);
  await driver.start();
  return driver;
};
const doneWithin = (ids: readonly string[], timeoutMs = 20_000) =>
  waitUntil(
    `${ids.length} handoffs done`,
    async () =>
      (await Promise.all(ids.map((id) => statusOf(bed.pool, id)))).every(
        (s) => s.status === 'done',
      ),
    { timeoutMs, intervalMs: 25 },
  );

it('sends each step once, under <processId>:<step> with the system token, and advances to done', async () => {
  await running(handoffDriver(bed));
  await startHandoffs(bed.pool, ['h-happy']);
  await doneWithin(['h-happy']);

  expect(bed.server.requests.map((r) => [r.idempotencyKey, r.method, r.path])).toEqual([
    ['h-happy:debit', 'POST', '/ledgers/h-happy-a/debit'],
    ['h-happy:credit', 'POST', '/ledgers/h-happy-b/credit'],
    ['h-happy:complete', 'POST', '/handoffs/h-happy/complete'],
  ]);
  for (const request of bed.server.requests) {
    expect(request.systemToken).toBe(SYSTEM_TOKEN);
    expect(request.contentType).toBe('application/json');
  }
  expect(bed.server.requests[0]?.body).toEqual({ amount: 10, reference: 'h-happy' });
  expect(await statusOf(bed.pool, 'h-happy')).toMatchObject({
    status: 'done',
    step: null,
    attempts: 0,
    lastError: null,
    state: { phase: 'finished' },
  });
});

it('follows a rejection (4xx problem+json) to the compensating step', async () => {
  bed.server.script = (r) =>
    r.path.endsWith('-b/credit') ? problemAnswer(409, 'ACCOUNT_CLOSED') : { status: 200, body: {} };
  await running(handoffDriver(bed));
  await startHandoffs(bed.pool, ['h-refund']);
  await doneWithin(['h-refund']);

  expect(bed.server.keys()).toEqual([
    'h-refund:debit',
    'h-refund:credit',
    'h-refund:refund',
    'h-refund:fail',
  ]);
  expect(bed.server.requests[3]?.body).toEqual({ reason: 'ACCOUNT_CLOSED' });
});

it('retries a 503 and a timeout with backoff, under the same key, and succeeds later', async () => {
  let debits = 0;
  bed.server.script = (r) => {
    if (!r.path.endsWith('/debit')) return { status: 200, body: {} };
    debits += 1;
    if (debits === 1) return problemAnswer(503, 'UNAVAILABLE');
    if (debits === 2) return { status: 200, body: {}, delayMs: 1_000 }; // longer than the timeout
    return { status: 201, body: { version: 1 } };
  };
  const backoff = { baseMs: 200, maxMs: 2_000 };
  await running(handoffDriver(bed, { backoff, port: portTo(bed.server, 300) }));
  await startHandoffs(bed.pool, ['h-retry']);

  await waitUntil(
    'the first failure recorded',
    async () => (await statusOf(bed.pool, 'h-retry')).attempts >= 1,
    {
      timeoutMs: 5_000,
      intervalMs: 20,
    },
  );
  const failed = await statusOf(bed.pool, 'h-retry');
  expect(failed).toMatchObject({
    status: 'active',
    step: 'debit',
    lastError: 'HTTP 503',
    state: { phase: 'debit' },
  });
  expect(Date.parse(failed.nextAttemptAt) - Date.parse(failed.updatedAt)).toBeGreaterThanOrEqual(
    100,
  );

  await doneWithin(['h-retry']);
  const debitRequests = bed.server.requests.filter((r) => r.path.endsWith('/debit'));
  expect(debitRequests.map((r) => r.idempotencyKey)).toEqual([
    'h-retry:debit',
    'h-retry:debit',
    'h-retry:debit',
  ]);
  // Equal jitter keeps at least half the ceiling: >= 100 ms after the 503, >= 200 ms after
  // the timeout (which itself took 300 ms).
  const [first, second, third] = debitRequests.map((r) => r.at);
  expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(100);
  expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(300 + 200);
  expect(bed.server.keys().slice(3)).toEqual(['h-retry:credit', 'h-retry:complete']);
});

it('re-sends the same key after a crash between the send and the commit', async () => {
  // The driver's own pool, named, so the upstream can kill its transaction's connection.
  const driverPool = createPool(
    { connectionString: bed.db.url, max: 4, application_name: 'pm_driver_crash' },
    { warn: () => undefined },
  );
  let killed = 0;
  bed.server.script = async (r) => {
    if (r.path.endsWith('/debit') && killed === 0) {
      // The command "succeeds" upstream, but the driver dies before recording it.
      const { rowCount } = await bed.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'pm_driver_crash' AND state = 'idle in transaction'`,
      );
      killed += rowCount ?? 0;
    }
    return { status: 200, body: {} };
  };
  try {
    await running(handoffDriver({ ...bed, pool: driverPool }));
    await startHandoffs(bed.pool, ['h-crash']);
    await doneWithin(['h-crash']);
  } finally {
    await Promise.all(drivers.map((d) => d.stop()));
    drivers = [];
    await driverPool.end();
  }
  expect(killed).toBe(1);
  // The claim's run went on to credit and complete before its commit failed; the next claim
  // re-sends all three under the same keys (the upstream's idempotency makes them no-ops).
  expect(bed.server.keys()).toEqual([
    'h-crash:debit',
    'h-crash:credit',
    'h-crash:complete',
    'h-crash:debit',
    'h-crash:credit',
    'h-crash:complete',
  ]);
});

it('two drivers never send the same step, nor two steps of one process, at once', async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `h-pair-${i}`);
  bed.server.script = () => ({ status: 200, body: {}, delayMs: 10 });
  await running(handoffDriver(bed, { batchSize: 4 }));
  await running(handoffDriver(bed, { batchSize: 4 }));
  await startHandoffs(bed.pool, ids);
  await doneWithin(ids, 40_000);

  const keys = bed.server.keys();
  expect(keys).toHaveLength(ids.length * 3);
  expect(new Set(keys).size).toBe(keys.length);
  expect(bed.server.maxInFlightPerProcess).toBe(1);
});

it('is woken by notifications again after its listening connection was killed', async () => {
  const driverPool = createPool(
    { connectionString: bed.db.url, max: 4, application_name: 'pm_driver_listen' },
    { warn: () => undefined },
  );
  // A poll far longer than the test: only a notification can make the driver send.
  const driver = await running(
    handoffDriver({ ...bed, pool: driverPool }, { pollIntervalMs: 60_000 }),
  );
  const listener = async (): Promise<number | undefined> =>
    (
      await bed.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE application_name = 'pm_driver_listen' AND query LIKE 'LISTEN%'`,
      )
    ).rows[0]?.pid;
  try {
    await waitUntil('the driver listening', async () => (await listener()) !== undefined, {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    const killed = await listener();
    await bed.pool.query('SELECT pg_terminate_backend($1)', [killed]);
    await waitUntil(
      'the driver listening on a new connection',
      async () => ![undefined, killed].includes(await listener()),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    await new Promise((r) => setTimeout(r, 200)); // the reconnect's own wake-up claim is over
    await startHandoffs(bed.pool, ['h-listen']);
    expect(bed.server.keys()).toEqual([]);
    // What the projector does when the chunk that started the process commits.
    await bed.pool.query(`SELECT pg_notify('projection_handoffs', '')`);
    await doneWithin(['h-listen'], 5_000);
    expect(driver.health()).toEqual({ running: true, lastError: undefined });
  } finally {
    await Promise.all(drivers.map((d) => d.stop()));
    drivers = [];
    await driverPool.end();
  }
});

it('counts a process older than the stuck bound, with its retries', async () => {
  bed.server.script = () => problemAnswer(503, 'UNAVAILABLE');
  const registry = new Registry();
  const metrics = new ProcessMetrics({
    registry,
    pool: bed.pool,
    schema: SCHEMA,
    stuckAfterMs: 300,
  }).watch('handoffs');
  await running(handoffDriver(bed, { observer: metrics, backoff: { baseMs: 20, maxMs: 50 } }));
  await startHandoffs(bed.pool, ['h-stuck']);

  const value = async (name: string): Promise<number | undefined> =>
    (await registry.getSingleMetric(name)?.get())?.values.find(
      (v) => v.labels['process'] === 'handoffs',
    )?.value;
  expect(await value('process_manager_stuck_processes')).toBe(0);
  expect(await value('process_manager_active_processes')).toBe(1);
  await new Promise((r) => setTimeout(r, 400));
  expect(await value('process_manager_stuck_processes')).toBe(1);
  expect(await value('process_manager_oldest_active_process_age_seconds')).toBeGreaterThanOrEqual(
    0.3,
  );
  expect(await value('process_manager_step_retries_total')).toBeGreaterThan(0);
  expect((await statusOf(bed.pool, 'h-stuck')).lastError).toBe('HTTP 503');
});
