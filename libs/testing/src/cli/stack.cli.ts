/**
 * pnpm stack: the whole stack on this machine, one command.
 *
 * Default (STACK_MODE=auto): Docker Compose when a Docker engine answers, local processes
 * otherwise. STACK_MODE=compose|local picks one. Local mode starts the infrastructure
 * (pnpm infra:up), builds the apps, gives each service its own database role, starts every
 * service, waits until all are ready and prints where to reach them. A service that crashes is
 * restarted with backoff (ProcessSupervisor); Ctrl-C, SIGTERM, a crash loop or an error during
 * start stop everything it started, the Kafka broker included.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { dockerAvailable } from '../infra/docker-infra';
import { infraSettingsFromEnv } from '../infra/infra-settings';
import { resolveInfra, type ResolvedInfra } from '../infra/resolve-infra';
import { mintDevToken } from '../fixtures/dev-token';
import { exitThroughCleanup, ProcessSupervisor } from './process-supervisor';
import { localServiceEnv, localUrl, waitReady } from './local-services';
import {
  isUpstream,
  serviceList,
  type ServiceDefinition,
  type UpstreamTarget,
} from '../services/service-list';
import { DEV_JWT_SECRET } from './dev-secrets';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const log = (message: string): void => void process.stdout.write(`[stack] ${message}\n`);

function runCompose(): Promise<number> {
  const hasPlugin = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  const [cmd, args] = hasPlugin
    ? ['docker', ['compose', 'up', '--build']]
    : ['docker-compose', ['up', '--build']];
  log(`Docker found: ${cmd} ${args.join(' ')} (STACK_MODE=local runs local processes instead)`);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
}

function prefixOutput(child: ChildProcess, name: string): void {
  const write = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n'))
      if (line) process.stdout.write(`${name.padEnd(20)}| ${line}\n`);
  };
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
}

let infra: ResolvedInfra | undefined;
const supervisor = new ProcessSupervisor({
  log,
  onGiveUp: (name) => void exit(1, `${name} keeps crashing; stopping the stack.`),
});
// Every way out (Ctrl-C, SIGTERM, a crash loop, an error while starting) stops what we started.
const exit = exitThroughCleanup(async () => {
  await supervisor.stopAll();
  await infra?.stop();
  log('Stopped.');
}, log);

async function runLocal(): Promise<void> {
  const startedAt = performance.now();
  const seconds = (from: number): string => ((performance.now() - from) / 1000).toFixed(1);
  const settings = infraSettingsFromEnv(process.env);
  const resolved = await resolveInfra(
    { ...settings, mode: settings.mode === 'docker' ? 'auto' : 'local' },
    log,
  );
  infra = resolved;
  const infraSeconds = seconds(startedAt);
  const buildStartedAt = performance.now();
  // STACK_BUILD=false starts what is built already (the e2e test of this command, which runs
  // after `pnpm test:e2e` built everything).
  if (process.env['STACK_BUILD'] !== 'false') {
    log('Building the apps (pnpm build)...');
    const build = spawnSync('pnpm', ['build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) throw new Error('pnpm build failed');
  }
  const buildSeconds = seconds(buildStartedAt);
  const servicesStartedAt = performance.now();

  const urls: Record<string, string> = {};
  const started: ServiceDefinition[] = [];
  const urlsOf = (target: UpstreamTarget): string[] =>
    started.filter((s) => isUpstream(s, target)).map((s) => urls[s.name] ?? '');
  for (const service of serviceList()) {
    const { name } = service;
    const env = await localServiceEnv(service, resolved, urlsOf);
    supervisor.add({
      name,
      start: () => {
        const child = spawn(
          process.execPath,
          [path.join(ROOT, 'apps', service.app, 'dist', 'main.js')],
          { env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        prefixOutput(child, name);
        return child;
      },
    });
    const url = localUrl(service);
    const spawnedAt = performance.now();
    await waitReady(service, { timeoutMs: 60_000, intervalMs: 50 });
    urls[name] = url;
    started.push(service);
    log(`${name} ready on ${url} (${seconds(spawnedAt)} s after its process started)`);
  }

  log(
    `All services are ready in ${seconds(startedAt)} s (infrastructure ${infraSeconds} s, build ${buildSeconds} s, services ${seconds(servicesStartedAt)} s):`,
  );
  for (const service of started)
    log(
      `  ${service.name.padEnd(20)} ${urls[service.name]}   (health: ${urls[service.name]}${service.healthPath})`,
    );
  const entry = started.find((s) => s.entryPoint);
  if (entry) {
    const gateway = urls[entry.name]!;
    const token = mintDevToken(DEV_JWT_SECRET, 'alice', { ttlSeconds: 8 * 3600 });
    log('');
    log(`Gateway: ${gateway}   (API docs: ${gateway}/docs)`);
    log(
      'A development token for subject "alice", valid 8 h (others: cp .env.example .env && pnpm token --sub bob):',
    );
    log(`  export TOKEN=${token}`);
    log(`Try: the API reference at ${gateway}/docs, ready-to-send requests in docs/api.http,`);
    log('or the scripted tour against this stack: pnpm demo');
  }
  log('Press Ctrl-C to stop everything this command started.');
}

async function main(): Promise<number> {
  const mode = process.env['STACK_MODE'] ?? 'auto';
  if (!['auto', 'compose', 'local'].includes(mode))
    throw new Error(`STACK_MODE must be auto, compose or local, got "${mode}"`);
  if (
    mode === 'compose' ||
    (mode === 'auto' && (await dockerAvailable(process.env['DOCKER_HOST'])))
  )
    return runCompose();
  await runLocal();
  return new Promise<number>(() => undefined); // runs until a signal or a crash loop ends it
}

main().then(
  (code) => void exit(code),
  (error: unknown) => void exit(1, error instanceof Error ? error.message : String(error)),
);
