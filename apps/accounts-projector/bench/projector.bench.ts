/**
 * Projector benchmark: `npx tsx apps/accounts-projector/bench/projector.bench.ts`
 * (env: KAFKA_BROKERS, DATABASE_URL as an admin URL; BENCH_EVENTS, BENCH_ACCOUNTS,
 * BENCH_BASELINE_EVENTS to resize). Preloads a fresh topic in the outbox message format, then
 * measures in one run: this projector, the naive baseline (on a subset), and a rebuild.
 * Prints a markdown table and writes bench-results/projector.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { accountEventRegistry, toKafkaMessage, type AccountEvent } from '@cqrs/events';
import { ensureProjectorTables, ProjectorRuntime, rebuildProjection } from '@cqrs/projections';
import {
  createTestDatabase,
  infraSettingsFromEnv,
  machine,
  resolveInfra,
  uniqueId,
  deleteTopicsByPrefix,
  uniqueTopic,
} from '@cqrs/testing';
import { accountsProjection } from '../src/projection/accounts.projection';
import { migrateReadModel } from '../src/read-model/read-model.data-source';
import { foldExpected, generateAccountEvents } from '../test/support/account-events.fixture';
import {
  createTopic,
  quietLog,
  readAccounts,
  testKafka,
  waitForCheckpoints,
} from '../test/support/projector-harness.fixture';
import { naiveBaselineDataSource, runNaiveBaseline } from './naive-baseline.consumer';

const env = process.env;
const EVENTS = Number(env['BENCH_EVENTS'] ?? 200_000);
const ACCOUNTS = Number(env['BENCH_ACCOUNTS'] ?? 10_000);
const BASELINE_EVENTS = Number(env['BENCH_BASELINE_EVENTS'] ?? 5_000);
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
    await createTopic(kafka, topic, 3);
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

    // (a) this projector
    const schema = 'bench_rm';
    const projection = accountsProjection({ databaseUrl: db.url });
    await ensureProjectorTables(pool, schema);
    await projection.migrate(pool, schema);
    const runtime = new ProjectorRuntime<AccountEvent>({
      kafka,
      pool,
      topic,
      groupId: uniqueId('bench-projector'),
      schema,
      projection,
      decode: (raw) => accountEventRegistry.parseEventJson(raw),
      log: quietLog,
      deadLetterTopic: null,
      chunkSize: Number(env['BENCH_CHUNK'] ?? 2_000),
    });
    const t1 = Date.now();
    await runtime.start();
    const joinSeconds = await firstProgress(pool, schema, topic);
    await waitForCheckpoints(pool, schema, topic, events.length, 600_000);
    const projectorSeconds = (Date.now() - t1) / 1000;
    const steadyRate = Math.round(events.length / (projectorSeconds - joinSeconds));
    await runtime.stop();
    const projectorRate = Math.round(events.length / projectorSeconds);
    const projectorRss = rssMb();
    say(
      `  projector: ${events.length} events in ${projectorSeconds.toFixed(1)} s = ${projectorRate} events/s incl. the group join (${joinSeconds.toFixed(1)} s); ${steadyRate} events/s after it`,
    );
    const correct =
      JSON.stringify(await readAccounts(pool, schema)) === JSON.stringify(foldExpected(events));
    say(`  read model equals the fold of all events: ${correct}`);

    // (b) the naive baseline, on a subset
    await migrateReadModel(pool, db.url, 'baseline_rm');
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

    // Rebuild of the projector's read model from the topic, with the blue/green swap
    const rebuild = await rebuildProjection({
      kafka,
      pool,
      topic,
      groupId: uniqueId('bench-rebuild'),
      liveSchema: schema,
      projection,
      decode: (raw) => accountEventRegistry.parseEventJson(raw),
      log: quietLog,
      progressIntervalMs: 500,
    });
    say(
      `  rebuild: ${rebuild.events} events in ${rebuild.seconds.toFixed(1)} s = ${rebuild.eventsPerSecond} events/s`,
    );

    const results = {
      measuredAt: new Date().toISOString(),
      machine: machine(),
      events: events.length,
      accounts: ACCOUNTS,
      partitions: 3,
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
      },
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
      },
      peakRssMb: rssMb(),
    };
    const out = path.resolve(__dirname, '..', '..', '..', 'bench-results', 'projector.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    say('');
    say('| measure | events | seconds | events/s |');
    say('| --- | ---: | ---: | ---: |');
    say(
      `| preload (producer, batches of 2,000) | ${events.length} | ${preloadSeconds.toFixed(1)} | ${results.preload.eventsPerSecond} |`,
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
