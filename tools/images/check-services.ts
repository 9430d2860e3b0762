import { spawnSync } from 'node:child_process';
import {
  containerLogTail,
  healthcheckPasses,
  processUid,
  removeContainer,
  startContainer,
  stopContainer,
  waitReady,
  type ContainerReport,
} from './container-checks';
import type { ServiceRun } from './service-runs';

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Starts one container per run in the list's order (a gateway after its upstreams), checks each
 * once all are up, stops them in reverse order (the entry point first, as a rollout would) and
 * removes them, also on Ctrl-C. Reports by app.
 */
export async function checkServices(
  runs: readonly ServiceRun[],
  imageOf: (app: string) => string,
): Promise<Map<string, ContainerReport>> {
  const reports = new Map<string, ContainerReport>();
  const started: Array<{ run: ServiceRun; report: ContainerReport }> = [];
  const names = runs.map((r) => `cqrs-images-${r.service.name}-${process.pid}`);
  const onSignal = (): void => {
    for (const name of names)
      spawnSync('podman', ['rm', '-f', '-t', '0', name], { stdio: 'ignore' });
    process.exit(130);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    for (const [i, run] of runs.entries()) {
      const report: ContainerReport = { name: names[i]!, errors: [] };
      reports.set(run.service.app, report);
      if (!(await start(run, report, imageOf(run.service.app)))) break;
      started.push({ run, report });
    }
    for (const { report } of started) {
      report.healthcheck = await healthcheckPasses(report.name);
      report.uid = await processUid(report.name).catch(
        (error) => void report.errors.push(message(error)),
      );
    }
    for (const { report } of started.reverse()) {
      const stop = await stopContainer(report.name).catch(
        (error) => void report.errors.push(message(error)),
      );
      if (stop) [report.stopSeconds, report.exitCode] = [stop.seconds, stop.exitCode];
      if (report.exitCode !== 0)
        report.errors.push(`log tail:\n${await containerLogTail(report.name)}`);
    }
  } finally {
    for (const name of names) await removeContainer(name);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
  return reports;
}

/** Starts a run's container and waits for its readiness; false (with the reason) if it fails. */
async function start(run: ServiceRun, report: ContainerReport, image: string): Promise<boolean> {
  const url = `http://127.0.0.1:${run.port}${run.service.healthPath}`;
  process.stdout.write(`starting ${run.service.name} (${image}) on ${url}\n`);
  try {
    await startContainer(report.name, image, run.env);
    report.readySeconds = await waitReady(report.name, url);
    return true;
  } catch (error) {
    report.errors.push(message(error), `log tail:\n${await containerLogTail(report.name)}`);
    return false;
  }
}
