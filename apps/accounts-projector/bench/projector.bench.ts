/**
 * Projector benchmark: `npx tsx apps/accounts-projector/bench/projector.bench.ts`
 * (env: KAFKA_BROKERS, DATABASE_URL as an admin URL; BENCH_EVENTS, BENCH_ACCOUNTS,
 * BENCH_BASELINE_EVENTS to resize, BENCH_CHUNK for the chunk size, BENCH_REBUILD_CHUNK for the
 * rebuild's events per write, BENCH_CPU_PROFILE=<dir> for CPU profiles). Preloads a fresh topic in
 * the outbox message format, then measures in one run: the same events applied by Postgres
 * alone (the projector's statements, no Kafka, decoded beforehand), this projector, the naive
 * baseline (on a subset), and a rebuild. Prints a markdown table, the facts behind the
 * figures (events and statements per transaction, consumer batch sizes, CPU per 1,000 events
 * by process group) and writes bench-results/projector.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { accountEventRegistry, toKafkaMessage, type AccountEvent } from '@cqrs/events';
import { migrateProjectorTables, ProjectorRuntime, rebuildProjection } from '@cqrs/projections';
import {
  createTestDatabase,
  infraSettingsFromEnv,
  machineFactRows,
  probeMachineFacts,
  resolveInfra,
  uniqueId,
  deleteTopicsByPrefix,
  uniqueTopic,
} from '@cqrs/testing';
import { accountsProjection } from '../src/projection/accounts.projection';
import { migrateReadModel } from '../src/read-model/read-model.migrations';
import { foldExpected, generateAccountEvents } from '../test/support/account-events.fixture';
import {
  createTopic,
  quietLog,
  readAccounts,
  testKafka,
  waitForCheckpoints,
} from '../test/support/projector-harness.fixture';
import { profiled } from './cpu-profile';
import { startCpuWindow, type CpuShare } from './cpu-window';
import { naiveBaselineDataSource, runNaiveBaseline } from './naive-baseline.consumer';
import { runPostgresOnly, splitByPartition } from './postgres-only.pass';
import { TransactionStats, type TransactionSummary } from './transaction-stats';

const env = process.env;
const EVENTS = Number(env['BENCH_EVENTS'] ?? 200_000);
const ACCOUNTS = Number(env['BENCH_ACCOUNTS'] ?? 10_000);
const BASELINE_EVENTS = Number(env['BENCH_BASELINE_EVENTS'] ?? 5_000);
const CHUNK = Number(env['BENCH_CHUNK'] ?? 2_000);
const PARTITIONS = 3;
const PROFILE_DIR = env['BENCH_CPU_PROFILE'];
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const rssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Seconds from now until the checkpoints first move (the group join and first fetch). */
async function firstProgress(pool: Pool, schema: string, topic: string): Promise<number> {
  const t = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ n: string | null }>(
      `SELECT sum(next_offset)::text AS n FROM ${schema}.projector_checkpoints WHERE topic = $1`,
      [topic],
    );
    if (Number(rows[0]?.n ?? 0) > 0) return (Date.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The facts behind a pass's figure: transaction sizes, round trips, batches, CPU. */
function sayFacts(pass: string, tx: TransactionSummary | undefined, cpu: CpuShare[]): void {
  if (tx !== undefined) {
    const { eventsPerTransaction: e, statementsPerTransaction: st, fetchedBatch: f } = tx;
    say(
      `${pass}: ${tx.transactions} transactions, events per transaction mean ${e.mean} / p50 ${e.p50} / max ${e.max}, statements per transaction (BEGIN and COMMIT included) mean ${st.mean} / p50 ${st.p50}` +
        (f === undefined
          ? ''
          : `; consumer batches: ${f.count}, messages mean ${f.mean} / p50 ${f.p50} / max ${f.max}`),
    );
  }
  say(
    `${pass} CPU ms per 1,000 events: ${cpu
      .filter((c) => c.ms > 0)
      .sort((a, b) => b.ms - a.ms)
      .map((c) => `${c.group} ${c.msPer1000Events}`)
      .join(', ')}`,
  );
}

async function main(): Promise<void> {
  // Same resolution as the tests: KAFKA_BROKERS / DATABASE_URL, else Docker, else local.
  const infra = await resolveInfra(infraSettingsFromEnv(env), (m) => say(`[infra] ${m}`));
  const brokers = infra.kafka.brokers;
  const adminUrl = infra.postgres.url;
  const db = await createTestDatabase(adminUrl, 'bench-projector');
  const pool = new Pool({ connectionString: db.url, max: 8 });
  const kafka = testKafka(brokers, 'projector-bench');
  const topic = uniqueTopic('bench-projector');
  try {
    say('measuring the machine facts that decide the figures...');
    const facts = await probeMachineFacts({ databaseUrl: db.url, kafkaBrokers: brokers });
    await createTopic(kafka, topic, PARTITIONS);
    const events = generateAccountEvents({
      accounts: ACCOUNTS,
      eventsPerAccount: Math.ceil(EVENTS / ACCOUNTS),
      closeSome: true,
    });
    say(`preloading ${events.length} events over ${ACCOUNTS} accounts into ${topic}`);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t0 = Date.now();
    for (let i = 0; i < events.length; i += 2_000) {
      await producer.send({ topic, messages: events.slice(i, i + 2_000).map(toKafkaMessage) });
    }
    await producer.disconnect();
    const preloadSeconds = (Date.now() - t0) / 1000;
    say(`  preloaded in ${preloadSeconds.toFixed(1)} s`);

    const projection = accountsProjection();

    // (a) Postgres alone: the projector's statements over events decoded beforehand
    const pgOnlySchema = 'bench_pg_only';
    await migrateProjectorTables(pool, pgOnlySchema, projection.name);
    await projection.migrate(pool, pgOnlySchema);
    const pgOnlyStats = new TransactionStats();
    const pgOnlyPool = pgOnlyStats.watch(new Pool({ connectionString: db.url, max: 8 }));
    const logs = splitByPartition(events, PARTITIONS);
    const pgOnlyCpu = startCpuWindow();
    const pgOnly = await runPostgresOnly({
      pool: pgOnlyPool,
      schema: pgOnlySchema,
      topic,
      projection,
      logs,
      chunkSize: CHUNK,
      observer: pgOnlyStats,
    });
    const pgOnlyShares = pgOnlyCpu(events.length);
    await pgOnlyPool.end();
    const pgOnlyRate = Math.round(pgOnly.events / pgOnly.seconds);
    const pgOnlyCorrect =
      JSON.stringify(await readAccounts(pool, pgOnlySchema)) ===
      JSON.stringify(foldExpected(events));
    say(
      `  Postgres only: ${pgOnly.events} events in ${pgOnly.seconds.toFixed(1)} s = ${pgOnlyRate} events/s; read model correct: ${pgOnlyCorrect}`,
    );

    // (b) this projector
    const schema = 'bench_rm';
    await migrateProjectorTables(pool, schema, projection.name);
    await projection.migrate(pool, schema);
    const projectorStats = new TransactionStats();
    const projectorPool = projectorStats.watch(new Pool({ connectionString: db.url, max: 8 }));
    const runtime = new ProjectorRuntime<AccountEvent>({
      kafka,
      pool: projectorPool,
      topic,
      groupId: uniqueId('bench-projector'),
      schema,
      projection,
      decode: (raw) => accountEventRegistry.parseEventJson(raw),
      log: quietLog,
      deadLetterTopic: null,
      chunkSize: CHUNK,
      metrics: projectorStats,
    });
    const projectorCpu = startCpuWindow();
    const t1 = Date.now();
    const joinSeconds = await profiled('projector', PROFILE_DIR, async () => {
      await runtime.start();
      const join = await firstProgress(pool, schema, topic);
      await waitForCheckpoints(pool, schema, topic, events.length, 600_000);
      return join;
    });
    const projectorSeconds = (Date.now() - t1) / 1000;
    const steadyRate = Math.round(events.length / (projectorSeconds - joinSeconds));
    const projectorShares = projectorCpu(events.length);
    await runtime.stop();
    await projectorPool.end();
    const projectorRate = Math.round(events.length / projectorSeconds);
    const projectorRss = rssMb();
    say(
      `  projector: ${events.length} events in ${projectorSeconds.toFixed(1)} s = ${projectorRate} events/s incl. the group join (${joinSeconds.toFixed(1)} s); ${steadyRate} events/s after it`,
    );
    const correct =
      JSON.stringify(await readAccounts(pool, schema)) === JSON.stringify(foldExpected(events));
    say(`  read model equals the fold of all events: ${correct}`);

    // (c) the naive baseline, on a subset
    await migrateReadModel(pool, 'baseline_rm');
    const dataSource = naiveBaselineDataSource(db.url, 'baseline_rm', 4);
    await dataSource.initialize();
    const baseline = await runNaiveBaseline({
      kafka,
      topic,
      groupId: uniqueId('bench-baseline'),
      dataSource,
      limit: Math.min(BASELINE_EVENTS, events.length),
    });
    await dataSource.destroy();
    const baselineRate = Math.round(baseline.events / baseline.seconds);
    say(
      `  naive baseline: ${baseline.events} events in ${baseline.seconds.toFixed(1)} s = ${baselineRate} events/s`,
    );

    // (d) rebuild of the projector's read model from the topic, with the blue/green swap
    const rebuildCpu = startCpuWindow();
    const rebuild = await profiled('rebuild', PROFILE_DIR, () =>
      rebuildProjection({
        kafka,
        pool,
        topic,
        groupId: uniqueId('bench-rebuild'),
        liveSchema: schema,
        projection,
        decode: (raw) => accountEventRegistry.parseEventJson(raw),
        log: quietLog,
        progressIntervalMs: 500,
        ...(env['BENCH_REBUILD_CHUNK'] ? { chunkSize: Number(env['BENCH_REBUILD_CHUNK']) } : {}),
      }),
    );
    const rebuildShares = rebuildCpu(rebuild.events);
    say(
      `  rebuild: ${rebuild.events} events in ${rebuild.seconds.toFixed(1)} s = ${rebuild.eventsPerSecond} events/s`,
    );

    const results = {
      measuredAt: new Date().toISOString(),
      facts,
      events: events.length,
      accounts: ACCOUNTS,
      partitions: PARTITIONS,
      chunkSize: CHUNK,
      preload: {
        seconds: preloadSeconds,
        eventsPerSecond: Math.round(events.length / preloadSeconds),
      },
      projector: {
        seconds: projectorSeconds,
        eventsPerSecond: projectorRate,
        groupJoinSeconds: joinSeconds,
        eventsPerSecondAfterJoin: steadyRate,
        readModelCorrect: correct,
        peakRssMb: projectorRss,
        transactions: projectorStats.summary(),
        cpu: projectorShares,
      },
      postgresOnly: {
        seconds: pgOnly.seconds,
        eventsPerSecond: pgOnlyRate,
        readModelCorrect: pgOnlyCorrect,
        transactions: pgOnlyStats.summary(),
        cpu: pgOnlyShares,
      },
      projectorShareOfPostgresOnly: Math.round((100 * steadyRate) / pgOnlyRate),
      naiveBaseline: {
        events: baseline.events,
        seconds: baseline.seconds,
        eventsPerSecond: baselineRate,
      },
      ratio: Math.round((projectorRate / baselineRate) * 10) / 10,
      rebuild: {
        events: rebuild.events,
        seconds: rebuild.seconds,
        eventsPerSecond: rebuild.eventsPerSecond,
        cpu: rebuildShares,
      },
      peakRssMb: rssMb(),
    };
    const out = path.resolve(__dirname, '..', '..', '..', 'bench-results', 'projector.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    say('');
    for (const row of machineFactRows(facts)) say(row);
    say('');
    say('| measure | events | seconds | events/s |');
    say('| --- | ---: | ---: | ---: |');
    say(
      `| preload (producer, batches of 2,000) | ${events.length} | ${preloadSeconds.toFixed(1)} | ${results.preload.eventsPerSecond} |`,
    );
    say(
      `| Postgres only (the projector's statements, events decoded beforehand, no Kafka) | ${pgOnly.events} | ${pgOnly.seconds.toFixed(1)} | ${pgOnlyRate} |`,
    );
    say(
      `| projector (eachBatch, chunk tx + unnest), incl. group join | ${events.length} | ${projectorSeconds.toFixed(1)} | ${projectorRate} |`,
    );
    say(
      `| projector after the group join | ${events.length} | ${(projectorSeconds - joinSeconds).toFixed(1)} | ${steadyRate} |`,
    );
    say(
      `| naive baseline (eachMessage, ORM per event) | ${baseline.events} | ${baseline.seconds.toFixed(1)} | ${baselineRate} |`,
    );
    say(
      `| rebuild into a fresh schema + swap | ${rebuild.events} | ${rebuild.seconds.toFixed(1)} | ${rebuild.eventsPerSecond} |`,
    );
    say('');
    say(
      `projector after the join / Postgres only: ${results.projectorShareOfPostgresOnly}% (${steadyRate} / ${pgOnlyRate} events/s)`,
    );
    sayFacts('Postgres only', pgOnlyStats.summary(), pgOnlyShares);
    sayFacts('projector', projectorStats.summary(), projectorShares);
    sayFacts('rebuild', undefined, rebuildShares);
    say(
      `ratio projector / baseline: ${results.ratio}x; peak RSS of the bench process: ${results.peakRssMb} MB; results in ${out}`,
    );
  } finally {
    await pool.end();
    await db.drop();
    await deleteTopicsByPrefix(infra.kafka.brokers, topic).catch(() => undefined);
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
