import type { BuiltImage } from './app-images';
import { STOP_TIMEOUT_SECONDS, type ContainerReport } from './container-checks';

/** The most the layers over the base image may weigh (the app, its libs, production deps). */
export const APP_LAYERS_LIMIT_MB = 60;

export interface AppResult {
  build: BuiltImage;
  run?: ContainerReport;
}

const mb = (bytes: number): number => Math.round((bytes / 1e6) * 10) / 10;

/** Every way an app fails the check, in words; empty when it passes. */
export function failures({ build, run }: AppResult): string[] {
  if (!build.ok) return [build.error ?? 'build failed'];
  const found: string[] = [];
  if (mb(build.appBytes) > APP_LAYERS_LIMIT_MB)
    found.push(`app layers ${mb(build.appBytes)} MB > ${APP_LAYERS_LIMIT_MB} MB`);
  if (!run) return [...found, 'not run'];
  found.push(...run.errors);
  if (run.readySeconds === undefined) found.push('not ready with a read-only root filesystem');
  if (run.healthcheck !== true) found.push('HEALTHCHECK failed');
  if (run.uid === undefined || run.uid === 0) found.push(`runs as uid ${run.uid ?? '?'}`);
  if (run.exitCode !== 0) found.push(`exit code ${run.exitCode ?? '?'} after SIGTERM`);
  if (run.stopSeconds === undefined || run.stopSeconds >= STOP_TIMEOUT_SECONDS)
    found.push(`stop took ${run.stopSeconds?.toFixed(1) ?? '?'} s`);
  return found;
}

const COLUMNS = [
  'app',
  'build s',
  'app MB',
  'total MB',
  'ready s',
  'health',
  'uid',
  'stop s',
  'exit',
  'result',
];

function row(result: AppResult): string[] {
  const { build, run } = result;
  const or = (value: string | undefined): string => value ?? '-';
  return [
    build.app,
    build.buildSeconds.toFixed(1),
    build.ok ? mb(build.appBytes).toFixed(1) : '-',
    build.ok ? mb(build.totalBytes).toFixed(1) : '-',
    or(run?.readySeconds?.toFixed(1)),
    run?.healthcheck === undefined ? '-' : run.healthcheck ? 'ok' : 'FAIL',
    or(run?.uid?.toString()),
    or(run?.stopSeconds?.toFixed(1)),
    or(run?.exitCode?.toString()),
    failures(result).length === 0 ? 'ok' : 'FAIL',
  ];
}

/** A plain-text table, one line per app, then each failure spelled out. */
export function resultsTable(results: readonly AppResult[]): string {
  const rows = [COLUMNS, ...results.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  const notes = results.flatMap((r) => failures(r).map((f) => `  ${r.build.app}: ${f}`));
  return [line(COLUMNS), ...rows.slice(1).map(line), ...notes].join('\n');
}

/** The figures as JSON, with MB rounded and the verdict per app. */
export const resultsJson = (results: readonly AppResult[]): object[] =>
  results.map((r) => ({
    app: r.build.app,
    image: r.build.image,
    buildSeconds: Math.round(r.build.buildSeconds * 10) / 10,
    appLayersMB: mb(r.build.appBytes),
    totalMB: mb(r.build.totalBytes),
    ...r.run,
    failures: failures(r),
  }));
