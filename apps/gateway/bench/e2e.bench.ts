/**
 * pnpm bench:e2e  [RATES=100,300,1000 SECONDS=10 ACCOUNTS=500 CLIENTS=32 VISIBLE_SAMPLE=0.2
 *                  CLOSED_LOOP=1 ROUNDS=3 STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"]
 *
 * The whole stack as real processes (gateway, accounts-command, accounts-projector; real
 * Postgres and Kafka). Two parts, one run:
 * 1. Open-loop load at fixed command rates through the gateway: achieved rate, command latency
 *    p50/p99, and command-to-visible latency p50/p99 (from sending the command until a query
 *    carrying its consistency token answers without `X-Consistency: stale`), probed on a
 *    VISIBLE_SAMPLE share of the commands so the probes do not double the offered load.
 * 2. Closed-loop capacity with CLIENTS clients, through the gateway and directly against the
 *    command service, so the gateway's overhead shows as a ratio.
 * Writes bench-results/e2e.json. It measures; it asserts nothing.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  cpuByGroup,
  isNeighbour,
  machineFactRows,
  probeMachineFacts,
  processMemoryMb,
  infraSettingsFromEnv,
  machineJiffies,
  percentile,
  resolveInfra,
  STACK_INTERNAL_TOKEN,
  TestStack,
  writeResults,
} from '@cqrs/testing';

const RATES = (process.env['RATES'] ?? '100,300,1000').split(',').map(Number);
const SECONDS = Number(process.env['SECONDS'] ?? 10);
const ACCOUNTS = Number(process.env['ACCOUNTS'] ?? 500);
const CLIENTS = Number(process.env['CLIENTS'] ?? 32);
const VISIBLE_SAMPLE = Number(process.env['VISIBLE_SAMPLE'] ?? 0.2);
const CLOSED_LOOP = process.env['CLOSED_LOOP'] !== '0';
/** Closed-loop rounds, alternating gateway and direct, so drift in the machine hits both. */
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const WARM_UP_SECONDS = 4;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: object,
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method,
        agent,
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
};
const round = (n: number): number => Math.round(n * 10) / 10;

async function openLoop(
  stack: TestStack,
  ids: string[],
  auth: Record<string, string>,
  rate: number,
) {
  const commandMs: number[] = [];
  const visibleMs: number[] = [];
  const statuses = new Map<number, number>();
  let stale = 0;
  const total = rate * SECONDS;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = ids[i % ids.length]!;
    inflight.push(
      (async () => {
        const sent = performance.now();
        const r = await request(
          stack.url,
          'POST',
          `/accounts/${id}/deposits`,
          { ...auth, 'idempotency-key': randomUUID() },
          { amount: 1 },
        );
        commandMs.push(performance.now() - sent);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const token = r.headers['x-consistency-token'];
        if (r.status !== 200 || typeof token !== 'string' || Math.random() >= VISIBLE_SAMPLE)
          return;
        const q = await request(stack.url, 'GET', `/accounts/${id}`, {
          ...auth,
          'x-consistency-token': token,
        });
        if (q.headers['x-consistency'] === 'stale') stale++;
        else visibleMs.push(performance.now() - sent);
      })(),
    );
  }
  const scheduledFor = (performance.now() - started) / 1000;
  await Promise.all(inflight);
  return {
    targetRate: rate,
    achievedRate: Math.round(total / scheduledFor),
    statuses: Object.fromEntries(statuses),
    commandLatencyMs: summary(commandMs),
    visibleLatencyMs: summary(visibleMs),
    stale,
  };
}

async function closedLoop(
  url: string,
  path: (i: number) => string,
  headers: Record<string, string>,
  seconds = SECONDS,
): Promise<{ perSecond: number; count: number }> {
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        await request(
          url,
          'POST',
          path(done),
          { ...headers, 'idempotency-key': randomUUID() },
          { amount: 1 },
        );
        done++;
      }
    }),
  );
  return { perSecond: Math.round(done / ((performance.now() - started) / 1000)), count: done };
}

/**
 * How much the write side batches: group-commit appends (from the command service's metrics)
 * and Postgres transactions committed machine-wide. Fewer commands per batch is what makes a
 * slower loop cost more Postgres CPU per command.
 */
async function batchingCounters(
  stack: TestStack,
  admin: Pool,
): Promise<{ appendBatches: number; appends: number; transactions: number }> {
  const metrics = await (
    await fetch(`${stack.commands[0]!.url}/metrics`, {
      headers: { 'x-internal-token': STACK_INTERNAL_TOKEN },
    })
  ).text();
  const counter = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const { rows } = await admin.query<{ commits: string }>(
    'SELECT sum(xact_commit)::text AS commits FROM pg_stat_database',
  );
  return {
    appendBatches: counter('event_store_append_batch_size_count'),
    appends: counter('event_store_append_batch_size_sum'),
    transactions: Number(rows[0]!.commits),
  };
}

interface LoopFigures {
  perSecond: number;
  machineBusy?: number;
  cpuMsPerCommand: Record<string, number>;
  /** Commands per group-commit batch, and Postgres transactions (all databases) per command. */
  appendsPerBatch: number;
  transactionsPerCommand: number;
}

/** Runs a closed loop and reports, beside its rate, the CPU ms per command each part spent. */
async function measuredLoop(
  stack: TestStack,
  admin: Pool,
  url: string,
  path: (i: number) => string,
  headers: Record<string, string>,
): Promise<LoopFigures> {
  const counters = await batchingCounters(stack, admin);
  const before = cpuByGroup();
  const machineBefore = machineJiffies();
  const { perSecond, count } = await closedLoop(url, path, headers);
  const machineAfter = machineJiffies();
  const countersAfter = await batchingCounters(stack, admin);
  const machineBusy =
    machineBefore && machineAfter
      ? Math.round(
          ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
            100,
        )
      : undefined;
  const cpuMsPerCommand: Record<string, number> = {};
  for (const [group, end] of cpuByGroup()) {
    const spent = end - (before.get(group) ?? 0);
    if (count > 0 && spent > 0 && !isNeighbour(group))
      cpuMsPerCommand[group] = Math.round((spent / count) * 1000) / 1000;
  }
  return {
    perSecond,
    machineBusy,
    cpuMsPerCommand,
    appendsPerBatch: round(
      (countersAfter.appends - counters.appends) /
        (countersAfter.appendBatches - counters.appendBatches),
    ),
    transactionsPerCommand:
      Math.round(((countersAfter.transactions - counters.transactions) / count) * 100) / 100,
  };
}

/**
 * Closed-loop capacity through the gateway and directly against accounts-command, alternating
 * for ROUNDS rounds; each side's figure is the mean of its rounds.
 */
async function capacity(
  stack: TestStack,
  admin: Pool,
  ids: string[],
  auth: Record<string, string>,
): Promise<{
  viaGateway: number;
  direct: number;
  rounds: {
    viaGateway: number;
    direct: number;
    /** Share of the machine's CPU time busy during each loop, in %. */
    machineBusy: { viaGateway?: number; direct?: number };
    cpuMsPerCommand: { viaGateway: Record<string, number>; direct: Record<string, number> };
    appendsPerBatch: { viaGateway: number; direct: number };
    transactionsPerCommand: { viaGateway: number; direct: number };
  }[];
}> {
  const path = (i: number) => `/accounts/${ids[i % ids.length]}/deposits`;
  const internal = { 'x-internal-token': STACK_INTERNAL_TOKEN, 'x-actor-id': 'bench' };
  // Unrecorded warm-up of both paths: the first direct loop after a gateway loop ran slow
  // (and not CPU-bound) in every run, which would skew the first pair.
  log(`warm-up: ${WARM_UP_SECONDS} s through the gateway, then ${WARM_UP_SECONDS} s directly...`);
  await closedLoop(stack.url, path, auth, WARM_UP_SECONDS);
  await closedLoop(stack.commands[0]!.url, path, internal, WARM_UP_SECONDS);
  await new Promise((r) => setTimeout(r, 2_000));
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`closed loop ${round}/${ROUNDS}, ${CLIENTS} clients: through the gateway...`);
    const viaGateway = await measuredLoop(stack, admin, stack.url, path, auth);
    await new Promise((r) => setTimeout(r, 2_000));
    log(`closed loop ${round}/${ROUNDS}, ${CLIENTS} clients: directly against accounts-command...`);
    const direct = await measuredLoop(stack, admin, stack.commands[0]!.url, path, internal);
    await new Promise((r) => setTimeout(r, 2_000));
    rounds.push({
      viaGateway: viaGateway.perSecond,
      direct: direct.perSecond,
      machineBusy: { viaGateway: viaGateway.machineBusy, direct: direct.machineBusy },
      cpuMsPerCommand: { viaGateway: viaGateway.cpuMsPerCommand, direct: direct.cpuMsPerCommand },
      appendsPerBatch: { viaGateway: viaGateway.appendsPerBatch, direct: direct.appendsPerBatch },
      transactionsPerCommand: {
        viaGateway: viaGateway.transactionsPerCommand,
        direct: direct.transactionsPerCommand,
      },
    });
  }
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    viaGateway: mean(rounds.map((r) => r.viaGateway)),
    direct: mean(rounds.map((r) => r.direct)),
    rounds,
  };
}

type Capacity = Awaited<ReturnType<typeof capacity>>;

/**
 * Two more robust views of the overhead than the ratio of the means: each round pairs a
 * gateway loop with the direct loop right after it, so the median of those pairs' ratios
 * shrugs off one disturbed loop; and the CPU the whole machine spends per command (all
 * processes) through the gateway versus directly, which does not depend on the neighbours.
 */
function overheads(closed: Capacity): { medianOfRounds: number; inCpu: number } {
  const ratios = closed.rounds.map((r) => 1 - r.viaGateway / r.direct).sort((a, b) => a - b);
  const sum = (side: 'viaGateway' | 'direct') =>
    closed.rounds.reduce(
      (total, r) => total + Object.values(r.cpuMsPerCommand[side]).reduce((a, b) => a + b, 0),
      0,
    );
  return {
    medianOfRounds: round(ratios[Math.floor(ratios.length / 2)]! * 100) / 100,
    inCpu: round((1 - sum('direct') / sum('viaGateway')) * 100) / 100,
  };
}

function cpuBreakdownRows(
  rounds: {
    cpuMsPerCommand: { viaGateway: Record<string, number>; direct: Record<string, number> };
  }[],
): string[] {
  const mean = (pick: (r: (typeof rounds)[number]) => number | undefined) =>
    Math.round((rounds.reduce((sum, r) => sum + (pick(r) ?? 0), 0) / rounds.length) * 1000) / 1000;
  const groups = [
    ...new Set(
      rounds.flatMap((r) => [
        ...Object.keys(r.cpuMsPerCommand.viaGateway),
        ...Object.keys(r.cpuMsPerCommand.direct),
      ]),
    ),
  ];
  const rows = groups.map((g) => ({
    g,
    via: mean((r) => r.cpuMsPerCommand.viaGateway[g]),
    direct: mean((r) => r.cpuMsPerCommand.direct[g]),
  }));
  rows.sort((a, b) => b.via - a.via);
  const total = (k: 'via' | 'direct') =>
    Math.round(rows.reduce((s, r) => s + r[k], 0) * 1000) / 1000;
  return [
    ...rows.map((r) => `| ${r.g} | ${r.via} | ${r.direct} |`),
    `| all | ${total('via')} | ${total('direct')} |`,
  ];
}

const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);

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
    label: 'bench-e2e',
    nodeArgs: process.env['STACK_NODE_ARGS']?.split(' ').filter(Boolean),
    env: { gateway: { RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_IP: '0', LOG_LEVEL: 'warn' } },
  });
  const admin = new Pool({ connectionString: infra.postgres.url, max: 1 });
  try {
    const auth = { authorization: `Bearer ${stack.token('bench')}` };
    log(`opening ${ACCOUNTS} accounts...`);
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, ACCOUNTS - i) }, () =>
          request(stack.url, 'POST', '/accounts', auth, { currency: 'EUR' }),
        ),
      );
      ids.push(...batch.map((r) => (JSON.parse(r.body) as { accountId: string }).accountId));
    }

    const openLoopResults = [];
    for (const rate of RATES) {
      log(`open loop at ${rate} commands/s for ${SECONDS} s...`);
      openLoopResults.push(await openLoop(stack, ids, auth, rate));
      await new Promise((r) => setTimeout(r, 2_000));
    }

    const closed = CLOSED_LOOP ? await capacity(stack, admin, ids, auth) : undefined;
    // Each service: how long it took from its process start to ready, and its memory after the load.
    const services = Object.entries(stack.processes()).map(([name, p]) => ({
      name,
      readyMs: p.readyMs,
      memoryMb: p.child.pid === undefined ? undefined : processMemoryMb(p.child.pid),
    }));

    const results = {
      facts,
      seconds: SECONDS,
      visibleSample: VISIBLE_SAMPLE,
      accounts: ACCOUNTS,
      openLoop: openLoopResults,
      services,
      closedLoop: closed && {
        clients: CLIENTS,
        viaGatewayPerSecond: closed.viaGateway,
        directPerSecond: closed.direct,
        gatewayOverhead: round((1 - closed.viaGateway / closed.direct) * 100) / 100,
        gatewayOverheadMedianOfRounds: overheads(closed).medianOfRounds,
        gatewayOverheadInCpu: overheads(closed).inCpu,
        rounds: closed.rounds,
      },
    };
    const file = writeResults('e2e', results);
    const lines = [
      '',
      ...machineFactRows(facts),
      '',
      `| target cmd/s | achieved | statuses | command p50 / p99 ms | visible p50 / p99 ms (${VISIBLE_SAMPLE * 100}% probed) | stale |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...openLoopResults.map(
        (r) =>
          `| ${r.targetRate} | ${r.achievedRate} | ${JSON.stringify(r.statuses)} | ${r.commandLatencyMs.p50} / ${r.commandLatencyMs.p99} | ${r.visibleLatencyMs.p50} / ${r.visibleLatencyMs.p99} | ${r.stale} |`,
      ),
      '',
      '| service | ready after process start | RSS after the load / peak |',
      '| --- | --- | --- |',
      ...services.map(
        (s) =>
          `| ${s.name} | ${s.readyMs} ms | ${s.memoryMb ? `${s.memoryMb.rss} / ${s.memoryMb.peak} MB` : '?'} |`,
      ),
      ...(closed
        ? [
            '',
            `| closed loop (${CLIENTS} clients, mean of ${ROUNDS} alternating rounds) | commands/s |`,
            '| --- | --- |',
            `| through the gateway | ${closed.viaGateway} |`,
            `| directly to accounts-command | ${closed.direct} |`,
            `| gateway overhead (means of the rounds) | ${Math.round((1 - closed.viaGateway / closed.direct) * 100)}% |`,
            `| gateway overhead (median of the rounds' own ratios) | ${Math.round(overheads(closed).medianOfRounds * 100)}% |`,
            `| gateway overhead in CPU (1 - CPU per command direct / through the gateway) | ${Math.round(overheads(closed).inCpu * 100)}% |`,
            `| rounds (gateway / direct) | ${closed.rounds.map((r) => `${r.viaGateway} / ${r.direct}`).join(', ')} |`,
            `| machine CPU busy % (gateway / direct), by round | ${closed.rounds.map((r) => `${r.machineBusy.viaGateway ?? '?'} / ${r.machineBusy.direct ?? '?'}`).join(', ')} |`,
            `| commands per group commit (gateway / direct), by round | ${closed.rounds.map((r) => `${r.appendsPerBatch.viaGateway} / ${r.appendsPerBatch.direct}`).join(', ')} |`,
            `| Postgres transactions per command (gateway / direct), by round | ${closed.rounds.map((r) => `${r.transactionsPerCommand.viaGateway} / ${r.transactionsPerCommand.direct}`).join(', ')} |`,
            '',
            `| CPU ms per command, by part (mean of ${ROUNDS} rounds) | through the gateway | direct |`,
            '| --- | --- | --- |',
            ...cpuBreakdownRows(closed.rounds),
          ]
        : []),
      '',
      `results: ${file}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await admin.end();
    await stack.stop();
    await infra.stop();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
