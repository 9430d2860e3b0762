/**
 * pnpm bench:transfers  [RATES=50,100,200 SECONDS=20 ACCOUNTS=1000 BUDGET_MS=10000
 *                        WARM_UP_SECONDS=3 STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
 *                        PROCESS_BATCH_SIZE=16 PROCESS_STEPS_PER_CLAIM=8
 *                        PROCESS_POLL_INTERVAL_MS=500 (transfers-projector)]
 *
 * A transfer from POST to verdict, as a client sees it. The whole stack as real processes
 * (gateway, accounts-command, accounts-projector, transfers-command, transfers-projector with
 * the transfer process; real Postgres and Kafka), a pool of funded accounts of one owner, then
 * open-loop transfers through the gateway at each rate for SECONDS. Each 202 starts a waiter
 * that reads GET /transfers/{id} with the POST's consistency token and `Prefer: wait`, repeated
 * until the transfer is completed or failed or BUDGET_MS after the POST was sent.
 *
 * Per rate: sent rate, POST latency p50/p99, POST-to-verdict latency p50/p99 (from sending the
 * POST until the waiter's GET answers with the verdict), verdicts, errors (a POST not answered
 * 202, a transfer without a verdict within the budget) and the CPU each process spent per
 * transfer (from /proc, between the first POST and the last verdict of the rate). Writes
 * bench-results/transfers.json. It measures; it asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  cpuByGroup,
  infraSettingsFromEnv,
  machineFactRows,
  machineJiffies,
  percentile,
  processCpuMs,
  probeMachineFacts,
  resolveInfra,
  STACK_INTERNAL_TOKEN,
  TestStack,
  writeResults,
} from '@cqrs/testing';
import { dueAtMs, maxDebitsPerAccount, preferWaitSeconds, transferPair } from './transfer-schedule';

const RATES = (process.env['RATES'] ?? '50,100,200').split(',').map(Number);
const SECONDS = Number(process.env['SECONDS'] ?? 20);
const ACCOUNTS = Number(process.env['ACCOUNTS'] ?? 1000);
/** A transfer without a verdict this long after its POST was sent counts as an error. */
const BUDGET_MS = Number(process.env['BUDGET_MS'] ?? 10_000);
const WARM_UP_SECONDS = Number(process.env['WARM_UP_SECONDS'] ?? 3);
const WARM_UP_RATE = 20;
/** A waiter's pause after an answer that is neither the transfer nor a hold. */
const RETRY_PAUSE_MS = 500;
const AMOUNT = 1;
const OWNER = 'bench';

const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
const round = (n: number): number => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: object,
): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
};

/** Opens the pool and funds each account for every debit the run can make of it. */
async function openAccounts(url: string, auth: Record<string, string>): Promise<string[]> {
  const planned = RATES.reduce((n, r) => n + r * SECONDS, WARM_UP_RATE * WARM_UP_SECONDS);
  const deposit = (maxDebitsPerAccount(planned, ACCOUNTS) + 10) * AMOUNT;
  const ids: string[] = [];
  for (let i = 0; i < ACCOUNTS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, ACCOUNTS - i) }, async () => {
        const opened = await call(url, 'POST', '/accounts', auth, { currency: 'EUR' });
        if (opened.status !== 201) throw new Error(`open account: ${opened.status}`);
        const id = String(opened.body['accountId']);
        const funded = await call(
          url,
          'POST',
          `/accounts/${id}/deposits`,
          { ...auth, 'idempotency-key': randomUUID() },
          { amount: deposit },
        );
        if (funded.status !== 200) throw new Error(`deposit: ${funded.status}`);
        return id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/** An answer that is not the expected one, as `<status> <problem code>`. */
function answerOf(reply: Reply): string {
  const code = reply.body['code'];
  return typeof code === 'string' ? `${reply.status} ${code}` : String(reply.status);
}

type Outcome =
  | { kind: 'verdict'; status: string; postMs: number; verdictMs: number }
  /** `reason`: the status and the problem's code (or title), e.g. `503 COMMAND_STORE_BUSY`. */
  | { kind: 'refused'; reason: string; postMs: number }
  | { kind: 'no-verdict'; postMs: number; last: string };

/** One transfer: the POST, then its waiter until a verdict or the budget is spent. */
async function oneTransfer(
  url: string,
  auth: Record<string, string>,
  from: string,
  to: string,
): Promise<Outcome> {
  const sent = performance.now();
  const elapsed = () => performance.now() - sent;
  let posted: Reply;
  try {
    posted = await call(
      url,
      'POST',
      '/transfers',
      { ...auth, 'idempotency-key': randomUUID() },
      { fromAccountId: from, toAccountId: to, amount: AMOUNT },
    );
  } catch {
    return { kind: 'refused', reason: 'no answer', postMs: elapsed() };
  }
  const postMs = elapsed();
  if (posted.status !== 202) return { kind: 'refused', reason: answerOf(posted), postMs };
  const id = String(posted.body['transferId']);
  const token = String(posted.body['consistencyToken']);
  let last = 'pending';
  for (;;) {
    const wait = preferWaitSeconds(BUDGET_MS - elapsed());
    if (wait === undefined) return { kind: 'no-verdict', postMs, last };
    try {
      const read = await call(url, 'GET', `/transfers/${id}`, {
        ...auth,
        prefer: `wait=${wait}`,
        'x-consistency-token': token,
      });
      const status = read.status === 200 ? String(read.body['status']) : answerOf(read);
      // A verdict after the budget still counts as none: the client stopped waiting.
      if (status !== 'pending' && read.status === 200 && elapsed() <= BUDGET_MS)
        return { kind: 'verdict', status, postMs, verdictMs: elapsed() };
      last = status;
      // Any other answer (a stale 404, the gateway's 503 while it has the query side ejected):
      // ask again after a pause, as a client would; thousands of waiters retrying at once would
      // keep the service they wait on overloaded.
      if (read.status !== 200) await sleep(RETRY_PAUSE_MS);
    } catch (error) {
      last = String(error);
      await sleep(RETRY_PAUSE_MS);
    }
  }
}

/**
 * The process driver's counters from transfers-projector's /metrics, summed over steps: step
 * attempts committed and those that reached no decision (a busy stream, a timeout, a 5xx) and
 * wait out a backoff, which is what lengthens a transfer beyond its round trips.
 */
async function stepCounters(stack: TestStack): Promise<{ attempts: number; retries: number }> {
  const response = await fetch(`${stack.projectorOf('transfers').url}/metrics`, {
    headers: { 'x-internal-token': STACK_INTERNAL_TOKEN },
  });
  const text = await response.text();
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
      (total, m) => total + Number(m[1]),
      0,
    );
  return {
    attempts: sum('process_manager_step_attempts_total'),
    retries: sum('process_manager_step_retries_total'),
  };
}

/**
 * CPU ms used so far by this stack's own processes (by pid: another checkout's stack on the same
 * machine runs the same apps/<name>/dist/main.js, so grouping by command line would mix them in),
 * by the load generator, and by Postgres and Kafka as a whole: those are shared with whatever else
 * runs on the machine, so their figures are upper bounds.
 */
function cpuSnapshot(stack: TestStack): Map<string, number> {
  const own = new Map<string, number>();
  for (const [name, service] of Object.entries(stack.processes())) {
    const ms = service.child.pid === undefined ? undefined : processCpuMs(service.child.pid);
    if (ms !== undefined) own.set(name, ms);
  }
  own.set('load generator', processCpuMs(process.pid) ?? 0);
  const groups = cpuByGroup();
  own.set(SHARED_POSTGRES, groups.get('postgres') ?? 0);
  own.set(SHARED_KAFKA, groups.get('kafka') ?? 0);
  return own;
}

const SHARED_POSTGRES = 'postgres (whole server, shared)';
const SHARED_KAFKA = 'kafka (every java process, shared)';

/** CPU ms per transfer by part between two snapshots; the sum of this stack's own processes. */
function cpuPerTransfer(
  before: Map<string, number>,
  after: Map<string, number>,
  transfers: number,
): { byPart: Record<string, number>; services: number } {
  const byPart: Record<string, number> = {};
  let services = 0;
  for (const [part, end] of after) {
    const ms = Math.round(((end - (before.get(part) ?? 0)) / transfers) * 1000) / 1000;
    // A shared server's group shrinks when one of its processes exits (another run's broker):
    // then its figure means nothing and is left out.
    if (ms < 0) continue;
    byPart[part] = ms;
    if (part !== SHARED_POSTGRES && part !== SHARED_KAFKA) services += ms;
  }
  return { byPart, services: Math.round(services * 1000) / 1000 };
}

interface RateFigures {
  targetRate: number;
  sentRate: number;
  transfers: number;
  postLatencyMs: ReturnType<typeof summary>;
  verdictLatencyMs: ReturnType<typeof summary>;
  verdicts: Record<string, number>;
  /** POST answers other than 202, by status and problem code. */
  refused: Record<string, number>;
  /** Transfers without a verdict within BUDGET_MS, by the last status read. */
  noVerdict: Record<string, number>;
  errors: number;
  /** Transfers settled per second, from the first POST to the last verdict. */
  settledRate: number;
  /** The process driver's step attempts and retried attempts, per transfer. */
  stepAttemptsPerTransfer: number;
  stepRetriesPerTransfer: number;
  /** CPU ms per transfer by part (Postgres and Kafka: the whole shared servers). */
  cpuMsPerTransfer: Record<string, number>;
  /** The sum over this stack's own Node processes and the load generator. */
  cpuMsPerTransferNode: number;
  /** Share of the whole machine busy during the rate, in %, whoever used it. */
  machineBusyPercent: number | undefined;
}

const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

async function openLoop(
  stack: TestStack,
  auth: Record<string, string>,
  ids: string[],
  rate: number,
  seconds: number,
  first: number,
): Promise<{ figures: RateFigures; next: number }> {
  const url = stack.url;
  const total = Math.round(rate * seconds);
  const steps = await stepCounters(stack);
  const before = cpuSnapshot(stack);
  const machineBefore = machineJiffies();
  const started = performance.now();
  const inflight: Promise<Outcome>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + dueAtMs(i, rate) - performance.now();
    if (wait > 1) await sleep(wait);
    const pair = transferPair(first + i, ids.length);
    inflight.push(oneTransfer(url, auth, ids[pair.from]!, ids[pair.to]!));
  }
  const sentFor = (performance.now() - started) / 1000;
  const outcomes = await Promise.all(inflight);
  const settledFor = (performance.now() - started) / 1000;
  const cpu = cpuPerTransfer(before, cpuSnapshot(stack), total);
  const machineAfter = machineJiffies();
  const stepsAfter = await stepCounters(stack);

  const verdicts: Record<string, number> = {};
  const refused: Record<string, number> = {};
  const noVerdict: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.kind === 'verdict') count(verdicts, o.status);
    else if (o.kind === 'refused') count(refused, o.reason);
    else count(noVerdict, o.last);
  }
  const figures: RateFigures = {
    targetRate: rate,
    sentRate: round(total / sentFor),
    transfers: total,
    postLatencyMs: summary(outcomes.map((o) => o.postMs)),
    verdictLatencyMs: summary(outcomes.flatMap((o) => (o.kind === 'verdict' ? [o.verdictMs] : []))),
    verdicts,
    refused,
    noVerdict,
    errors: outcomes.filter((o) => o.kind !== 'verdict').length,
    settledRate: round(outcomes.filter((o) => o.kind === 'verdict').length / settledFor),
    stepAttemptsPerTransfer:
      Math.round(((stepsAfter.attempts - steps.attempts) / total) * 100) / 100,
    stepRetriesPerTransfer: Math.round(((stepsAfter.retries - steps.retries) / total) * 100) / 100,
    cpuMsPerTransfer: cpu.byPart,
    cpuMsPerTransferNode: cpu.services,
    machineBusyPercent:
      machineBefore && machineAfter
        ? Math.round(
            ((machineAfter.busy - machineBefore.busy) /
              (machineAfter.total - machineBefore.total)) *
              100,
          )
        : undefined,
  };
  return { figures, next: first + total };
}

const fmt = (m: Record<string, number>): string =>
  Object.keys(m).length === 0
    ? '-'
    : Object.entries(m)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');

function tableRows(results: RateFigures[]): string[] {
  return [
    '| target /s | sent /s | settled /s | POST p50 / p99 ms | POST to verdict p50 / p99 / max ms | verdicts | non-202 | no verdict in budget | step attempts / retries per transfer | CPU ms per transfer, Node processes | machine busy |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.targetRate} | ${r.sentRate} | ${r.settledRate} | ${r.postLatencyMs.p50} / ${r.postLatencyMs.p99} | ${r.verdictLatencyMs.p50} / ${r.verdictLatencyMs.p99} / ${r.verdictLatencyMs.max} | ${fmt(r.verdicts)} | ${fmt(r.refused)} | ${fmt(r.noVerdict)} | ${r.stepAttemptsPerTransfer} / ${r.stepRetriesPerTransfer} | ${r.cpuMsPerTransferNode} | ${r.machineBusyPercent ?? '?'}% |`,
    ),
  ];
}

async function main(): Promise<void> {
  const infra = await resolveInfra(infraSettingsFromEnv(process.env), log);
  log('measuring the machine facts that decide the figures...');
  const facts = await probeMachineFacts({
    databaseUrl: infra.postgres.url,
    kafkaBrokers: infra.kafka.brokers,
  });
  const stack = await TestStack.start({
    kafkaBrokers: infra.kafka.brokers,
    adminDatabaseUrl: infra.postgres.url,
    label: 'bench-transfers',
    nodeArgs: process.env['STACK_NODE_ARGS']?.split(' ').filter(Boolean),
    env: {
      gateway: { RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_IP: '0', LOG_LEVEL: 'warn' },
      // To compare the process driver's settings: PROCESS_BATCH_SIZE=64 pnpm bench:transfers.
      'transfers-projector': Object.fromEntries(
        ['PROCESS_BATCH_SIZE', 'PROCESS_STEPS_PER_CLAIM', 'PROCESS_POLL_INTERVAL_MS'].flatMap(
          (name) => {
            const value = process.env[name];
            return value === undefined ? [] : [[name, value]];
          },
        ),
      ),
    },
  });
  try {
    const auth = { authorization: `Bearer ${stack.token(OWNER)}` };
    log(`opening and funding ${ACCOUNTS} accounts...`);
    const ids = await openAccounts(stack.url, auth);
    let next = 0;
    if (WARM_UP_SECONDS > 0) {
      log(`warm-up: ${WARM_UP_RATE} transfers/s for ${WARM_UP_SECONDS} s (not recorded)...`);
      ({ next } = await openLoop(stack, auth, ids, WARM_UP_RATE, WARM_UP_SECONDS, next));
      await sleep(1_000);
    }
    const results: RateFigures[] = [];
    for (const rate of RATES) {
      log(`open loop at ${rate} transfers/s for ${SECONDS} s...`);
      const run = await openLoop(stack, auth, ids, rate, SECONDS, next);
      next = run.next;
      results.push(run.figures);
      log(
        `  POST to verdict p50 / p99: ${run.figures.verdictLatencyMs.p50} / ${run.figures.verdictLatencyMs.p99} ms, errors ${run.figures.errors}`,
      );
      await sleep(2_000);
    }
    const file = writeResults('transfers', {
      facts,
      seconds: SECONDS,
      accounts: ACCOUNTS,
      budgetMs: BUDGET_MS,
      verdictObservedBy:
        'GET /transfers/{id} with X-Consistency-Token and Prefer: wait, through the gateway',
      openLoop: results,
    });
    const lines = [
      '',
      ...machineFactRows(facts),
      '',
      `Transfers of ${AMOUNT} over ${ACCOUNTS} accounts, ${SECONDS} s per rate; the verdict as a client sees it (GET with the consistency token and Prefer: wait), budget ${BUDGET_MS} ms:`,
      '',
      ...tableRows(results),
      ...results.flatMap((r) => [
        '',
        `At ${r.targetRate}/s (${r.transfers} transfers, from the first POST to the last verdict):`,
        '',
        '| part | CPU ms per transfer |',
        '| --- | --- |',
        ...Object.entries(r.cpuMsPerTransfer)
          .sort((a, b) => b[1] - a[1])
          .map(([part, ms]) => `| ${part} | ${ms} |`),
      ]),
      '',
      `results: ${file}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await stack.stop();
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
