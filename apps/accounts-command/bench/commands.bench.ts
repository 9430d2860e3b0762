/**
 * pnpm bench:commands  [CLIENTS=32 SECONDS=20 ACCOUNTS=2000]
 *
 * RELAY=separate runs the outbox relay in a second process (OUTBOX_RELAY=false on the one that
 * takes the commands), the deployment to pick when the relay must not share an event loop.
 *
 * N concurrent closed-loop clients against a real accounts-command process (built dist, real
 * Postgres and Kafka). Reports commands/s, client-side latency p50/p99/p99.9, the service's own
 * command latency (its Prometheus histogram), and outbox lag p50/p99: Kafka record timestamp
 * minus the event's `recorded-at` (written inside the append transaction), and, stricter, minus
 * the event's occurredAt, read back from the topic after the load). Writes
 * bench-results/commands.json. Not a test: it asserts nothing, it measures.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import {
  createTestDatabase,
  infraSettingsFromEnv,
  machineFactRows,
  percentile,
  probeMachineFacts,
  resolveInfra,
  tableReadRows,
  tableReads,
  usageByGroup,
  usagePerUnit,
  usageRows,
  startService,
  deleteTopicsByPrefix,
  uniqueTopic,
  writeResults,
} from '@cqrs/testing';

const CLIENTS = Number(process.env['CLIENTS'] ?? 32);
const SECONDS = Number(process.env['SECONDS'] ?? 20);
const ACCOUNTS = Number(process.env['ACCOUNTS'] ?? 2000);
const TOKEN = 'bench-internal-token-0123456789';

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });

function post(
  port: number,
  path: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-internal-token': TOKEN,
          'x-actor-id': 'bench-owner',
          ...headers,
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A quantile of a Prometheus histogram summed over its label sets (bucket upper bound). */
async function serviceQuantile(url: string, metric: string, q: number): Promise<number> {
  const metrics = await fetch(`${url}/metrics`, { headers: { 'x-internal-token': TOKEN } });
  const text = await metrics.text();
  const byLe = new Map<number, number>();
  for (const m of text.matchAll(new RegExp(`^${metric}_bucket\\{([^}]*)\\} (\\d+)`, 'gm'))) {
    const le = /le="([^"]+)"/.exec(m[1]!)?.[1];
    const bound = le === '+Inf' ? Infinity : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + Number(m[2]));
  }
  const buckets = [...byLe.entries()].sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  return buckets.find(([, count]) => count >= q * total)?.[0] ?? NaN;
}

async function main(): Promise<void> {
  const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
  const infra = await resolveInfra(infraSettingsFromEnv(process.env), log);
  const db = await createTestDatabase(infra.postgres.url, 'bench-commands');
  const topic = uniqueTopic('bench-commands');
  log(`database ${db.name}, topic ${topic}`);
  log('measuring the machine facts that decide the figure...');
  const facts = await probeMachineFacts({ databaseUrl: db.url, kafkaBrokers: infra.kafka.brokers });
  const separateRelay = process.env['RELAY'] === 'separate';
  const service = await startService(
    'accounts-command',
    {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafka.brokers.join(','),
      INTERNAL_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      ACCOUNTS_EVENTS_TOPIC: topic,
      OUTBOX_RELAY: separateRelay ? 'false' : 'true',
      // Tunables passed through to compare settings side by side.
      ...Object.fromEntries(
        ['APPEND_MAX_IN_FLIGHT', 'APPEND_MAX_BATCH', 'DATABASE_POOL_SIZE', 'OUTBOX_BATCH_SIZE']
          .filter((k) => process.env[k])
          .map((k) => [k, process.env[k]!]),
      ),
    },
    { nodeArgs: process.env['SERVICE_NODE_ARGS']?.split(' ') }, // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  );
  const relay = separateRelay
    ? await startService('accounts-command', {
        DATABASE_URL: db.url,
        KAFKA_BROKERS: infra.kafka.brokers.join(','),
        INTERNAL_TOKEN: TOKEN,
        LOG_LEVEL: 'warn',
        ACCOUNTS_EVENTS_TOPIC: topic,
      })
    : undefined;
  try {
    log(`opening ${ACCOUNTS} accounts...`);
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, ACCOUNTS - i) }, () =>
          post(service.port, '/accounts', { currency: 'EUR' }),
        ),
      );
      for (const r of batch) ids.push((JSON.parse(r.body) as { accountId: string }).accountId);
    }

    log(`${CLIENTS} clients for ${SECONDS} s...`);
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const readsBefore = await tableReads(db.url);
    const usageBefore = usageByGroup();
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    const loadStartedAt = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        while (performance.now() < deadline) {
          const id = ids[Math.floor(Math.random() * ids.length)]!;
          const withdraw = Math.random() < 0.3;
          // Every deposit and withdrawal carries a key (the API requires one).
          const headers: Record<string, string> = {
            'idempotency-key': `${client}-${randomUUID()}`,
          };
          const t0 = performance.now();
          const r = await post(
            service.port,
            `/accounts/${id}/${withdraw ? 'withdrawals' : 'deposits'}`,
            { amount: 1 + Math.floor(Math.random() * 1000) },
            headers,
          );
          latencies.push(performance.now() - t0);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const usage = usagePerUnit(usageBefore, usageByGroup(), latencies.length);
    await new Promise((r) => setTimeout(r, 1_500)); // Postgres publishes its counters each second
    const reads = tableReadRows(readsBefore, await tableReads(db.url), latencies.length, 'command');
    latencies.sort((a, b) => a - b);

    log('reading the events back from Kafka for the outbox lag...');
    const expected =
      [...statuses.entries()].filter(([s]) => s === 200).reduce((n, [, c]) => n + c, 0) +
      ids.length;
    const kafka = new Kafka({
      clientId: 'bench',
      brokers: infra.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    const lags: number[] = [];
    const commitLags: number[] = [];
    let seen = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const occurredAt = Date.parse(m.headers?.['occurred-at']?.toString() ?? '');
            seen++;
            // Steady state only: the warm-up (opening the accounts, the producer's first
            // connect and topic creation) is not what the outbox lag target is about.
            if (occurredAt >= loadStartedAt) {
              lags.push(Number(m.timestamp) - occurredAt);
              const recordedAt = Date.parse(m.headers?.['recorded-at']?.toString() ?? '');
              commitLags.push(Number(m.timestamp) - recordedAt);
            }
          }
          if (seen >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    lags.sort((a, b) => a - b);
    commitLags.sort((a, b) => a - b);

    const results = {
      facts,
      usagePerCommand: Object.fromEntries(usage),
      clients: CLIENTS,
      seconds: SECONDS,
      relay: separateRelay ? 'separate' : 'in-process',
      accounts: ACCOUNTS,
      commands: latencies.length,
      commandsPerSecond: Math.round(latencies.length / elapsed),
      statuses: Object.fromEntries(statuses),
      clientLatencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        p999: percentile(latencies, 99.9),
      },
      serviceLatencyMsBucket: {
        p50: 1000 * (await serviceQuantile(service.url, 'command_duration_seconds', 0.5)),
        p99: 1000 * (await serviceQuantile(service.url, 'command_duration_seconds', 0.99)),
      },
      appendBatchMsBucket: {
        p50: 1000 * (await serviceQuantile(service.url, 'event_store_append_batch_seconds', 0.5)),
        p99: 1000 * (await serviceQuantile(service.url, 'event_store_append_batch_seconds', 0.99)),
      },
      appendBatchSizeBucket: {
        p50: await serviceQuantile(service.url, 'event_store_append_batch_size', 0.5),
        p99: await serviceQuantile(service.url, 'event_store_append_batch_size', 0.99),
      },
      outboxLagFromCommitMs: {
        p50: percentile(commitLags, 50),
        p99: percentile(commitLags, 99),
        max: commitLags.at(-1),
      },
      outboxLagMs: {
        events: seen,
        measured: lags.length,
        expected,
        p50: percentile(lags, 50),
        p99: percentile(lags, 99),
        max: lags.at(-1),
      },
    };
    const file = writeResults('commands', results);
    const f = (n: number): string => n.toFixed(1);
    process.stdout.write(
      [
        '',
        `| metric | value |`,
        `| --- | --- |`,
        `| clients, duration, relay | ${CLIENTS}, ${SECONDS} s, ${separateRelay ? 'separate process' : 'in the service'} |`,
        `| commands/s | ${results.commandsPerSecond} (${results.commands} commands; statuses ${JSON.stringify(results.statuses)}) |`,
        `| client latency p50 / p99 / p99.9 | ${f(results.clientLatencyMs.p50)} / ${f(results.clientLatencyMs.p99)} / ${f(results.clientLatencyMs.p999)} ms |`,
        `| service latency p50 / p99 (histogram bucket bound) | <= ${results.serviceLatencyMsBucket.p50} / <= ${results.serviceLatencyMsBucket.p99} ms |`,
        `| group commit: transaction p50 / p99, appends per transaction p50 / p99 (bucket bounds) | <= ${results.appendBatchMsBucket.p50} / <= ${results.appendBatchMsBucket.p99} ms, <= ${results.appendBatchSizeBucket.p50} / <= ${results.appendBatchSizeBucket.p99} |`,
        `| outbox lag from the append transaction p50 / p99 / max | ${f(results.outboxLagFromCommitMs.p50)} / ${f(results.outboxLagFromCommitMs.p99)} / ${f(results.outboxLagFromCommitMs.max ?? NaN)} ms |`,
        `| decided-to-Kafka lag p50 / p99 / max | ${f(results.outboxLagMs.p50)} / ${f(results.outboxLagMs.p99)} / ${f(results.outboxLagMs.max ?? NaN)} ms (${seen}/${expected} events on Kafka; lag over the ${lags.length} of the load) |`,
        '',
        ...usageRows(usage, 'command'),
        '',
        ...reads,
        '',
        ...machineFactRows(facts),
        '',
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await service.stop('SIGTERM');
    await relay?.stop('SIGTERM');
    await db.drop();
    await deleteTopicsByPrefix(infra.kafka.brokers, topic).catch(() => undefined);
    await infra.stop();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
