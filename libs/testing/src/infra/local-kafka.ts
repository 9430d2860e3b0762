import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_CLUSTER_ID, KAFKA_VERSION } from '../versions';
import { withFileLock } from './file-lock';
import type { KafkaEndpoint, Logger } from './infra.types';
import { kafkaAnswers, portOpen, waitUntil } from './probe';

const run = promisify(execFile);

/** libs/testing/kafka holds the pom and the log4j2 config; same depth from src/ and dist/. */
const KAFKA_ASSETS = path.resolve(__dirname, '..', '..', 'kafka');
const READY_TIMEOUT_MS = 60_000;

export interface LocalKafkaOptions {
  /** Cache directory shared by every clone: jars, data, pid file and broker log live here. */
  stateDir: string;
  port: number;
  controllerPort: number;
  log: Logger;
  /** Where the jars are cached; defaults to the state directory's (a second broker reuses them). */
  libsDir?: string;
}

interface BrokerRecord {
  pid: number;
  port: number;
}

function paths(options: LocalKafkaOptions) {
  const home = path.join(options.stateDir, `kafka-${KAFKA_VERSION}`);
  return {
    home,
    libs: options.libsDir ?? path.join(home, 'libs'),
    data: path.join(home, 'data'),
    config: path.join(home, 'server.properties'),
    pidFile: path.join(home, 'broker.json'),
    logFile: path.join(home, 'broker.log'),
    lock: path.join(home, 'lock'),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readRecord(pidFile: string): BrokerRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as BrokerRecord;
    return alive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Copies the broker's runtime jars from Maven Central once; later starts reuse the cache. */
async function ensureJars(libs: string, log: Logger): Promise<void> {
  const marker = path.join(libs, '.complete');
  if (fs.existsSync(marker)) return;
  const started = Date.now();
  log(
    `Resolving Apache Kafka ${KAFKA_VERSION} from Maven Central into ${libs} (first run only)...`,
  );
  const staging = `${libs}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  await run(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      path.join(KAFKA_ASSETS, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(
      `mvn could not resolve the Kafka jars: ${error.stdout ?? ''}${error.stderr ?? error.message}`,
    );
  });
  fs.rmSync(libs, { recursive: true, force: true });
  fs.renameSync(staging, libs);
  fs.writeFileSync(marker, new Date().toISOString());
  log(`Kafka jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/** The single-node KRaft settings of kafka-local-notes.md; compose sets the same as env vars. */
function serverProperties(options: LocalKafkaOptions, dataDir: string): string {
  const { port, controllerPort } = options;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    // Topics are created explicitly (ensureTopics), with their retention: never by a typo'd name.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    // Transactions (exactly-once) hang on one node with the defaults of 3 and 2.
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no broker log)';
  }
}

/**
 * Starts the real Apache Kafka broker with `java` (no Docker), or finds the one already running
 * from an earlier call. The broker is detached: it outlives this process until stopLocalKafka.
 */
export async function ensureLocalKafka(
  options: LocalKafkaOptions,
): Promise<KafkaEndpoint & { reused: boolean }> {
  const p = paths(options);
  const brokers = [`127.0.0.1:${options.port}`];
  const stop = () => stopLocalKafka(options).then(() => undefined);
  return withFileLock(p.lock, async () => {
    const running = readRecord(p.pidFile);
    if (running && running.port === options.port) {
      await waitUntil('local Kafka', () => kafkaAnswers(brokers), { timeoutMs: READY_TIMEOUT_MS });
      options.log(`Local Kafka already running (pid ${running.pid}) on ${brokers[0]}.`);
      return { brokers, source: 'local', stop, reused: true };
    }
    if (await portOpen('127.0.0.1', options.port)) {
      throw new Error(
        `Port ${options.port} is taken by a process this tool did not start. Stop it, point ` +
          `KAFKA_BROKERS at it, or choose another port with LOCAL_KAFKA_PORT.`,
      );
    }
    await ensureJars(p.libs, options.log);
    fs.mkdirSync(p.data, { recursive: true });
    fs.writeFileSync(p.config, serverProperties(options, p.data));
    const classpath = `${p.libs}/*`;
    const log4j = `-Dlog4j2.configurationFile=${path.join(KAFKA_ASSETS, 'log4j2.properties')}`;
    // --ignore-formatted makes the format a no-op on later starts, so data survives restarts.
    await run('java', [
      '-cp',
      classpath,
      log4j,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      KAFKA_CLUSTER_ID,
      '-c',
      p.config,
    ]);

    const started = Date.now();
    const out = fs.openSync(p.logFile, 'w');
    const child = spawn(
      'java',
      [
        '-Xms256m',
        '-Xmx768m',
        '-server',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:InitiatingHeapOccupancyPercent=35',
        '-Djava.awt.headless=true',
        log4j,
        '-cp',
        classpath,
        'kafka.Kafka',
        p.config,
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error('java did not start (is a JDK 17+ on PATH?)');
    fs.writeFileSync(p.pidFile, JSON.stringify({ pid, port: options.port } satisfies BrokerRecord));
    options.log(`Started local Kafka ${KAFKA_VERSION} (pid ${pid}); log: ${p.logFile}`);
    await waitUntil('local Kafka', () => kafkaAnswers(brokers), {
      timeoutMs: READY_TIMEOUT_MS,
      fail: () =>
        alive(pid) ? undefined : `the broker exited; last log lines:\n${tail(p.logFile)}`,
    });
    options.log(
      `Local Kafka ready on ${brokers[0]} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    return { brokers, source: 'local', stop, reused: false };
  });
}

/** Stops the local broker (SIGTERM, then SIGKILL after 30 s). Returns false if none ran. */
export async function stopLocalKafka(options: LocalKafkaOptions): Promise<boolean> {
  const p = paths(options);
  const record = readRecord(p.pidFile);
  fs.rmSync(p.pidFile, { force: true });
  if (!record) return false;
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(record.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(record.pid)) process.kill(record.pid, 'SIGKILL');
  options.log(`Stopped local Kafka (pid ${record.pid}).`);
  return true;
}

/** Pid of the running local broker, if any (used by fault tests that restart it). */
export function localKafkaPid(options: Pick<LocalKafkaOptions, 'stateDir'>): number | undefined {
  return readRecord(paths(options as LocalKafkaOptions).pidFile)?.pid;
}

/** The jar cache of a state directory (to share it with a dedicated broker). */
export const localKafkaLibs = (stateDir: string): string =>
  path.join(stateDir, `kafka-${KAFKA_VERSION}`, 'libs');
