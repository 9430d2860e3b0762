import { spawn } from 'node:child_process';
import fs, { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { machineJiffies } from './proc-cpu';

/**
 * The facts about a machine and its services that decide a benchmark's figure, measured at the
 * start of the benchmark and printed with it, so that a figure that differs from the docs can be
 * explained from the output alone.
 *
 * The costs that matter most here are per-call kernel costs: every command crosses several
 * processes (client, gateway, service, Postgres, Kafka) over sockets, so a machine whose system
 * calls cost ten times more (virtualisation, page-table isolation) runs the same code several
 * times slower while a bulk Postgres load barely notices.
 */
export interface MachineFacts {
  cpu: string;
  cores: number;
  kernel: string;
  node: string;
  clocksource: string;
  /** /sys/.../vulnerabilities/meltdown: "Mitigation: PTI" makes every system call dearer. */
  pageTableIsolation: string;
  /** Pure user-space work: JSON.stringify then JSON.parse of a fixed 1 kB object, µs. */
  jsonRoundTripMicros: number;
  /** One cheap system call (fstat) from Node, in microseconds. */
  syscallMicros: number;
  /** One 1-byte round trip over loopback TCP between two sockets of one Node process, µs. */
  loopbackRoundTripMicros: number;
  /**
   * How long `socket.write` of 200 bytes takes when the reading process is idle (p50 / p90, µs).
   * Loopback TCP delivers inside the writer's system call, waking the reader; in a VM that wake-up
   * can cost tens of microseconds, paid on every hop between two processes of the system.
   */
  wakePeerMicros: { p50: number; p90: number };
  /** Share of the machine busy, and stolen by the hypervisor, over one second before the run. */
  busyBeforePercent?: number;
  stealBeforePercent?: number;
  postgres?: PostgresFacts;
  kafka?: KafkaFacts;
}

export interface PostgresFacts {
  version: string;
  /** One `SELECT 1` round trip over the pool's connection, mean of 2,000, in µs. */
  roundTripMicros: number;
  /** One single-row insert committed durably (autocommit), mean of 200, in ms: the fsync cost. */
  commitMs: number;
  settings: Record<string, string>;
  databases: number;
}

export interface KafkaFacts {
  brokers: number;
  topics: number;
  partitions: number;
}

const POSTGRES_SETTINGS = [
  'shared_buffers',
  'synchronous_commit',
  'fsync',
  'wal_sync_method',
  'commit_delay',
  'autovacuum',
  'max_wal_size',
  'max_connections',
];

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function jsonRoundTripMicros(): number {
  const sample = {
    type: 'MoneyDeposited',
    streamId: '0b6f2b8e-4a59-4f6f-9a51-6d1f0c7d9e21',
    data: Object.fromEntries(
      Array.from({ length: 24 }, (_, i) => [`field${i}`, `value-${i}-${i * 7919}`]),
    ),
  };
  let length = 0;
  for (let i = 0; i < 2_000; i++)
    length += JSON.stringify(JSON.parse(JSON.stringify(sample))).length;
  const n = 20_000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    length += (JSON.parse(JSON.stringify(sample)) as { type: string }).type.length;
  const micros = Number(process.hrtime.bigint() - t) / n / 1_000;
  return length > 0 ? micros : Number.NaN; // `length` keeps the loop from being optimised away
}

function syscallMicros(): number {
  const fd = fs.openSync('/dev/null', 'r');
  try {
    for (let i = 0; i < 2_000; i++) fs.fstatSync(fd); // warm up
    const n = 50_000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fs.fstatSync(fd);
    return Number(process.hrtime.bigint() - t) / n / 1_000;
  } finally {
    fs.closeSync(fd);
  }
}

async function loopbackRoundTripMicros(roundTrips = 3_000): Promise<number> {
  const server = net.createServer((socket) => socket.on('data', (d) => socket.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    return await new Promise<number>((resolve, reject) => {
      const client = net.connect(port, '127.0.0.1', () => {
        client.setNoDelay(true);
        let done = 0;
        let started = 0n;
        client.on('data', () => {
          done++;
          if (done === 100) started = process.hrtime.bigint(); // after a warm-up
          if (done < roundTrips + 100) client.write('x');
          else {
            resolve(Number(process.hrtime.bigint() - started) / roundTrips / 1_000);
            client.destroy();
          }
        });
        client.write('x');
      });
      client.on('error', reject);
    });
  } finally {
    server.close();
  }
}

/** A reader in its own process that discards what it reads; prints its port. */
const READER = `const s=require('net').createServer(c=>c.on('data',()=>{})).listen(0,'127.0.0.1',()=>console.log(s.address().port))`;

async function wakePeerMicros(writes = 1_000): Promise<{ p50: number; p90: number }> {
  const reader = spawn(process.execPath, ['-e', READER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      reader.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      reader.once('error', reject);
    });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    socket.setNoDelay(true);
    const payload = Buffer.alloc(200, 'x');
    const micros: number[] = [];
    for (let i = 0; i < writes; i++) {
      await new Promise((r) => setTimeout(r, 1)); // the reader goes idle again
      const t = process.hrtime.bigint();
      socket.write(payload);
      micros.push(Number(process.hrtime.bigint() - t) / 1_000);
    }
    socket.destroy();
    micros.sort((a, b) => a - b);
    const at = (q: number): number => Math.round(micros[Math.floor(q * (micros.length - 1))]!);
    return { p50: at(0.5), p90: at(0.9) };
  } finally {
    reader.kill();
  }
}

async function busyBefore(): Promise<{ busy?: number; steal?: number }> {
  const a = machineJiffies();
  await new Promise((r) => setTimeout(r, 1_000));
  const b = machineJiffies();
  if (!a || !b || b.total === a.total) return {};
  const share = (x: number): number => Math.round((x / (b.total - a.total)) * 100);
  return { busy: share(b.busy - a.busy), steal: share(b.steal - a.steal) };
}

async function postgresFacts(databaseUrl: string): Promise<PostgresFacts> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const version = (
      await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")
    ).rows[0]!.v;
    const { rows } = await pool.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
      [POSTGRES_SETTINGS],
    );
    const settings = Object.fromEntries(
      rows.map((r) => [r.name, r.unit ? `${r.setting} (${r.unit})` : r.setting]),
    );
    const databases = Number(
      (await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_database')).rows[0]!.n,
    );
    for (let i = 0; i < 200; i++) await pool.query('SELECT 1');
    const trips = 2_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < trips; i++) await pool.query('SELECT 1');
    const roundTripMicros = Math.round(Number(process.hrtime.bigint() - started) / trips / 1_000);
    const table = `machine_facts_${process.pid}`;
    await pool.query(`CREATE TABLE ${table} (id int)`);
    try {
      const n = 200;
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await pool.query(`INSERT INTO ${table} VALUES ($1)`, [i]);
      const commitMs = Number(process.hrtime.bigint() - t) / n / 1e6;
      return { version, roundTripMicros, commitMs, settings, databases };
    } finally {
      await pool.query(`DROP TABLE ${table}`);
    }
  } finally {
    await pool.end();
  }
}

async function kafkaFacts(brokers: string[]): Promise<KafkaFacts> {
  const admin = new Kafka({
    clientId: 'machine-facts',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const { topics } = await admin.fetchTopicMetadata();
    return {
      brokers: cluster.brokers.length,
      topics: topics.length,
      partitions: topics.reduce((n, t) => n + t.partitions.length, 0),
    };
  } finally {
    await admin.disconnect();
  }
}

/** Measures the facts; Postgres and Kafka only when given (each probe takes well under 2 s). */
export async function probeMachineFacts(services: {
  databaseUrl?: string;
  kafkaBrokers?: string[];
}): Promise<MachineFacts> {
  const before = await busyBefore();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    kernel: os.release(),
    node: process.version,
    clocksource: readText('/sys/devices/system/clocksource/clocksource0/current_clocksource'),
    pageTableIsolation: readText('/sys/devices/system/cpu/vulnerabilities/meltdown'),
    jsonRoundTripMicros: Math.round(jsonRoundTripMicros() * 100) / 100,
    syscallMicros: Math.round(syscallMicros() * 100) / 100,
    loopbackRoundTripMicros: Math.round(await loopbackRoundTripMicros()),
    wakePeerMicros: await wakePeerMicros(),
    busyBeforePercent: before.busy,
    stealBeforePercent: before.steal,
    postgres: services.databaseUrl ? await postgresFacts(services.databaseUrl) : undefined,
    kafka: services.kafkaBrokers ? await kafkaFacts(services.kafkaBrokers) : undefined,
  };
}

/** The facts as markdown rows (`| fact | value |`). */
export function machineFactRows(f: MachineFacts): string[] {
  const rows: [string, string][] = [
    ['machine', `${f.cpu}, ${f.cores} cores, Linux ${f.kernel}, Node ${f.node}`],
    ['clocksource; page-table isolation', `${f.clocksource}; ${f.pageTableIsolation}`],
    ['JSON stringify + parse of a 1 kB object (user-space speed)', `${f.jsonRoundTripMicros} µs`],
    ['system call from Node (fstat)', `${f.syscallMicros} µs`],
    ['loopback TCP round trip (one process)', `${f.loopbackRoundTripMicros} µs`],
    [
      'socket write that wakes an idle peer process, p50 / p90',
      `${f.wakePeerMicros.p50} / ${f.wakePeerMicros.p90} µs`,
    ],
    [
      'machine busy / stolen in the second before the run',
      `${f.busyBeforePercent ?? '?'}% / ${f.stealBeforePercent ?? '?'}%`,
    ],
  ];
  if (f.postgres) {
    const s = f.postgres.settings;
    rows.push(
      ['Postgres `SELECT 1` round trip', `${f.postgres.roundTripMicros} µs`],
      ['Postgres durable commit (1-row insert)', `${f.postgres.commitMs.toFixed(2)} ms`],
      [
        'Postgres settings',
        `${f.postgres.version}; ${POSTGRES_SETTINGS.map((k) => `${k}=${s[k] ?? '?'}`).join(', ')}; ${f.postgres.databases} databases`,
      ],
    );
  }
  if (f.kafka) {
    rows.push([
      'Kafka cluster',
      `${f.kafka.brokers} broker(s), ${f.kafka.topics} topics, ${f.kafka.partitions} partitions`,
    ]);
  }
  return ['| fact | value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
}
