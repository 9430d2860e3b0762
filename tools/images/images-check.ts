/**
 * pnpm images:check: every app image builds from its Dockerfile and runs as a deployment needs.
 *
 * Builds (or reuses) the test base image (base-image.sh: a local stand-in for
 * node:<version>-bookworm-slim, for machines that reach no registry), builds
 * apps/<app>/Dockerfile for every app, then runs the images against the machine's Kafka and
 * Postgres (provisioned as the e2e harness does) and checks each one: ready with a read-only
 * root filesystem, its HEALTHCHECK passes, it runs as a non-root uid, SIGTERM stops it with exit
 * code 0 in under 10 s, and its layers over the base image stay under the size limit. Prints a
 * table, writes bench-results/images.json, exits non-zero on any failed check and 3 when podman
 * is not available here (CI skips the step then).
 *
 * Environment: KAFKA_BROKERS (default 127.0.0.1:9092); IMAGES_DATABASE_URL or DATABASE_URL, an
 * admin login over TCP that the containers reach too (a Unix-socket URL falls back to the
 * default postgres://postgres@127.0.0.1:5432/postgres);
 * IMAGES_CA_BUNDLE, a CA bundle for the network steps of the builds (default: the machine's).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeResults } from '@cqrs/testing';
import { baseImage, ensurePodman } from './base-image';
import { appsWithDockerfile, buildAppImage, type BuiltImage } from './app-images';
import { checkServices } from './check-services';
import { sourceState } from './source-state';
import { resultsJson, resultsTable, failures, type AppResult } from './results-table';
import { ServiceRuns } from './service-runs';

const ROOT = path.resolve(__dirname, '..', '..');

/** An admin login the containers reach too: a Unix-socket URL (?host=/dir) is not one. */
function adminDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const url = env['IMAGES_DATABASE_URL'] ?? env['DATABASE_URL'];
  if (url && !new URL(url).searchParams.has('host')) return url;
  return 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  ensurePodman();
  const base = baseImage(ROOT);
  process.stdout.write(`base image (test fixture): ${base.image} (${base.seconds.toFixed(1)} s)\n`);
  const caBundle = process.env['IMAGES_CA_BUNDLE'] ?? '/etc/ssl/certs/ca-certificates.crt';
  const ca = existsSync(caBundle) ? caBundle : undefined;
  const source = sourceState(ROOT);
  const builds: BuiltImage[] = [];
  for (const app of appsWithDockerfile(ROOT))
    builds.push(await buildAppImage(ROOT, app, base.image, ca, source));

  const built = builds.filter((b) => b.ok);
  const runs = await ServiceRuns.provision(
    {
      kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
      adminDatabaseUrl: adminDatabaseUrl(process.env),
    },
    built.map((b) => b.app),
  );
  const reports = await checkServices(
    runs.runs,
    (app) => built.find((b) => b.app === app)!.image,
  ).finally(() => runs.release());

  const results: AppResult[] = builds.map((build) => ({ build, run: reports.get(build.app) }));
  const totalSeconds = (performance.now() - startedAt) / 1000;
  process.stdout.write(`\n${resultsTable(results)}\n`);
  const file = writeResults('images', {
    baseImage: base.image,
    baseImageSeconds: Math.round(base.seconds * 10) / 10,
    totalSeconds: Math.round(totalSeconds),
    images: resultsJson(results),
  });
  const failed = results.filter((r) => failures(r).length > 0);
  process.stdout.write(
    `\n${results.length - failed.length}/${results.length} images pass in ${totalSeconds.toFixed(0)} s; results in ${path.relative(ROOT, file)}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `images:check: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
