/**
 * pnpm compose:run-check: the real docker-compose.yml starts, gets healthy and serves pnpm demo
 * through its gateway, on a machine with podman and no container registry.
 *
 * Builds (or reuses) the test base image and the app images with pnpm images:check's code (an
 * app image labelled with the current source state, as images:check leaves it, is reused), the
 * local TEST FIXTURE stand-ins for apache/kafka and postgres (standin-images.sh), starts podman's
 * Docker-compatible API service, runs Debian's docker-compose 1.29 (installed when missing) with
 * tools/compose/podman.override.yml, an override of the app images written from
 * stack.services.json and .env.example, runs every HEALTHCHECK in a loop (podman
 * has no timer for them here), waits until every service is healthy, runs the demo against the
 * gateway, then `down -v` and checks that nothing of the project is left. Prints the timings;
 * exits non-zero on any failure and 3 when podman is not available here.
 *
 * Environment: COMPOSE_CHECK_GATEWAY_PORT (default 18080, so a running dev stack keeps 8080);
 * COMPOSE_CHECK_HEALTHY_SECONDS, how long services may take to be healthy (default 300);
 * IMAGES_CA_BUNDLE as for pnpm images:check.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KAFKA_VERSION } from '@cqrs/testing';
import { appsWithDockerfile, buildAppImage, builtFrom } from '../images/app-images';
import { baseImage, DEBIAN_BASE_IMAGE, ensurePodman } from '../images/base-image';
import { sourceState } from '../images/source-state';
import { appImagesOverride, demoScripts } from './app-overrides';
import { healthcheckLoop, projectContainers, reportUnhealthy, run } from './compose-stack';

const ROOT = path.resolve(__dirname, '..', '..');
const PROJECT = 'cqrs-compose-check';
const timings: [string, number][] = [];

async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const startedAt = performance.now();
  try {
    return await work();
  } finally {
    const seconds = (performance.now() - startedAt) / 1000;
    timings.push([label, seconds]);
    process.stdout.write(`--- ${label}: ${seconds.toFixed(1)} s\n`);
  }
}

function ensureDockerCompose(): void {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return;
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'docker-compose'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0)
    throw new Error('docker-compose is missing and apt-get could not install it');
}

/** The values compose reads from .env.example, for the demo's token (AUTH_JWT_SECRET). */
function envFile(file: string): Record<string, string> {
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1]!, match[2]!] as const);
  return Object.fromEntries(entries);
}

async function buildImages(): Promise<void> {
  const base = baseImage(ROOT);
  const caBundle = process.env['IMAGES_CA_BUNDLE'] ?? '/etc/ssl/certs/ca-certificates.crt';
  const source = sourceState(ROOT);
  for (const app of appsWithDockerfile(ROOT)) {
    if (await builtFrom(app, source)) {
      process.stdout.write(`${app}: the image built from this source state is reused\n`);
      continue;
    }
    const ca = existsSync(caBundle) ? caBundle : undefined;
    const built = await buildAppImage(ROOT, app, base.image, ca, source);
    if (!built.ok) throw new Error(`${app}: ${built.error ?? 'image build failed'}`);
  }
  const standins = spawnSync(
    'bash',
    [path.join(__dirname, 'standin-images.sh'), KAFKA_VERSION, DEBIAN_BASE_IMAGE],
    { stdio: 'inherit' },
  );
  if (standins.status !== 0) throw new Error('the stand-in images could not be built');
}

/**
 * Prints each container's time from `up` to healthy as it happens (`up` itself waits for the
 * services others depend on): when the total is long, which service was slow. Returns the stop.
 */
function reportHealthyTimes(): () => void {
  const startedAt = Date.now();
  const seen = new Set<string>();
  const timer = setInterval(() => {
    void projectContainers(PROJECT).then(
      (containers) => {
        for (const c of containers.filter((c) => c.status.includes('(healthy)'))) {
          if (seen.has(c.name)) continue;
          seen.add(c.name);
          const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
          process.stdout.write(`${c.name} healthy after ${seconds} s\n`);
        }
      },
      () => undefined,
    );
  }, 1000);
  return () => clearInterval(timer);
}

/** `up -d` has returned, so every service of the default profile has its container by now. */
async function waitHealthy(timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const containers = await projectContainers(PROJECT);
    const healthy = containers.filter((c) => c.status.includes('(healthy)'));
    if (containers.length > 0 && healthy.length === containers.length) return;
    if (Date.now() > deadline) {
      const states = containers.map((c) => `${c.name}: ${c.status}`).join('; ');
      throw new Error(`not all services healthy after ${timeoutSeconds} s (${states})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  ensurePodman();
  ensureDockerCompose();
  await timed('images (base, apps, stand-ins)', buildImages);

  const dir = mkdtempSync(path.join(tmpdir(), 'compose-check-'));
  const socket = `unix://${path.join(dir, 'podman.sock')}`;
  const appsOverride = path.join(dir, 'apps.override.yml');
  writeFileSync(appsOverride, appImagesOverride());
  const service = spawn('podman', ['system', 'service', '--time=0', socket], { stdio: 'ignore' });
  const port = process.env['COMPOSE_CHECK_GATEWAY_PORT'] ?? '18080';
  const env = {
    ...process.env,
    DOCKER_HOST: socket,
    KAFKA_STANDIN_VERSION: KAFKA_VERSION,
    GATEWAY_PORT: port,
  };
  const compose = (...args: string[]): Promise<number> =>
    run(
      'docker-compose',
      [
        '-p',
        PROJECT,
        '-f',
        'docker-compose.yml',
        '-f',
        'tools/compose/podman.override.yml',
        '-f',
        appsOverride,
        '--env-file',
        '.env.example',
        ...args,
      ],
      env,
    );
  const stopHealthchecks = healthcheckLoop(PROJECT);
  let failure: string | undefined;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await timed('compose up to all healthy', async () => {
      const stopReporting = reportHealthyTimes();
      try {
        if ((await compose('up', '-d', '--no-build')) !== 0)
          throw new Error('docker-compose up failed');
        await waitHealthy(Number(process.env['COMPOSE_CHECK_HEALTHY_SECONDS'] ?? 300));
      } finally {
        stopReporting();
      }
    });
    const gateway = `http://127.0.0.1:${port}`;
    await timed('pnpm demo through the compose gateway', async () => {
      // The demo starts a stack of its own when the gateway does not answer: not this check's aim.
      const live = await fetch(`${gateway}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (!live) throw new Error(`the compose gateway does not answer at ${gateway}`);
      const secret = envFile(path.join(ROOT, '.env.example'))['AUTH_JWT_SECRET'];
      const demoEnv = { ...process.env, GATEWAY_URL: gateway, AUTH_JWT_SECRET: secret };
      const demos = demoScripts(ROOT);
      if (demos.length === 0)
        process.stdout.write('no demo script in package.json: the healthy stack is the check\n');
      for (const demo of demos)
        if ((await run('pnpm', ['exec', 'tsx', demo], demoEnv)) !== 0)
          throw new Error(`pnpm demo failed: ${path.relative(ROOT, demo)}`);
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    await compose('ps');
    // `down -v` below removes the containers and their logs: what went wrong is printed first.
    await reportUnhealthy(PROJECT);
  } finally {
    await stopHealthchecks();
    await timed('compose down -v', () => compose('down', '-v'));
    const left = await projectContainers(PROJECT);
    if (left.length > 0)
      failure ??= `left running after down: ${left.map((c) => c.name).join(', ')}`;
    service.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  const total = (performance.now() - startedAt) / 1000;
  for (const [label, seconds] of timings)
    process.stdout.write(`${label.padEnd(40)} ${seconds.toFixed(1)} s\n`);
  process.stdout.write(`${'total'.padEnd(40)} ${total.toFixed(1)} s\n`);
  if (failure) process.stderr.write(`compose:run-check failed: ${failure}\n`);
  return failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `compose:run-check: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
