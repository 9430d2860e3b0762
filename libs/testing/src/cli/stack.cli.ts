/**
 * pnpm stack: the whole stack on this machine, one command.
 *
 * Default (STACK_MODE=auto): Docker Compose when a Docker engine answers, local processes
 * otherwise. STACK_MODE=compose|local picks one. Local mode starts the infrastructure
 * (pnpm infra:up), builds the apps, gives each service its own database role, starts every
 * service, waits until all are ready and prints where to reach them. Ctrl-C stops everything
 * it started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { dockerAvailable } from '../infra/docker-infra';
import { infraSettingsFromEnv } from '../infra/infra-settings';
import { waitUntil } from '../infra/probe';
import { resolveInfra } from '../infra/resolve-infra';
import { ensureReadOnlyRole, ensureServiceDatabase } from '../infra/service-databases';
import { mintDevToken } from '../fixtures/dev-token';
import { DEV_JWT_SECRET, STACK_SERVICES } from './stack.services';

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

async function runLocal(): Promise<number> {
  const settings = infraSettingsFromEnv(process.env);
  const infra = await resolveInfra(
    { ...settings, mode: settings.mode === 'docker' ? 'auto' : 'local' },
    log,
  );
  log('Building the apps (pnpm build)...');
  const build = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('pnpm build failed');

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log('Stopping...');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await infra.stop();
    log('Stopped.');
  };

  const urls: Record<string, string> = {};
  const databaseUrl = async (service: (typeof STACK_SERVICES)[number]) => {
    if (service.database)
      return ensureServiceDatabase(
        infra.postgres.url,
        service.database,
        `dev-only-${service.database}`,
      );
    if (service.readsDatabase)
      return ensureReadOnlyRole(infra.postgres.url, {
        database: service.readsDatabase.database,
        owner: service.readsDatabase.database,
        role: service.readsDatabase.role,
        password: `dev-only-${service.readsDatabase.role}`,
      });
    return undefined;
  };
  for (const service of STACK_SERVICES) {
    const name = service.name ?? service.app;
    const database = await databaseUrl(service);
    const env: Record<string, string> = {
      ...process.env,
      PORT: String(service.port),
      KAFKA_BROKERS: infra.kafka.brokers.join(','),
      ...(database ? { DATABASE_URL: database } : {}),
      ...(service.env?.(urls) ?? {}),
    };
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'apps', service.app, 'dist', 'main.js')],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    prefixOutput(child, name);
    child.once('exit', (code) => {
      if (!stopping) {
        log(`${name} exited with ${String(code)}; stopping the stack.`);
        void stopAll().then(() => process.exit(1));
      }
    });
    const url = `http://127.0.0.1:${service.port}`;
    await waitUntil(
      name,
      async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200,
      {
        timeoutMs: 60_000,
      },
    );
    urls[name] = url;
    log(`${name} ready on ${url}`);
  }

  log('All services are ready:');
  for (const [app, url] of Object.entries(urls))
    log(`  ${app.padEnd(20)} ${url}   (health: ${url}/health/ready)`);
  const entry = STACK_SERVICES.find((s) => s.entryPoint);
  if (entry) {
    const gateway = urls[entry.name ?? entry.app]!;
    const token = mintDevToken(DEV_JWT_SECRET, 'alice', { ttlSeconds: 8 * 3600 });
    log('');
    log(`Gateway: ${gateway}   (API docs: ${gateway}/docs)`);
    log(
      'A development token for subject "alice", valid 8 h (others: cp .env.example .env && pnpm token --sub bob):',
    );
    log(`  export TOKEN=${token}`);
    log('Try:');
    log(
      `  curl -s -X POST ${gateway}/accounts -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"currency":"EUR"}'`,
    );
    log(`  curl -s ${gateway}/accounts -H "authorization: Bearer $TOKEN"`);
    log('Or run the scripted tour against this stack: pnpm demo');
  }
  log('Press Ctrl-C to stop everything this command started.');
  await new Promise<void>((resolve) => {
    // `on`, not `once`: Ctrl-C reaches us twice under pnpm (from the terminal and forwarded by
    // pnpm/tsx); a second SIGINT without a listener would kill us before Kafka is stopped.
    const onSignal = (): void => {
      if (stopping) log('Still stopping (waiting for the services, then the infrastructure)...');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await stopAll();
  return 0;
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
  return runLocal();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
