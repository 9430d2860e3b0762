import type { BuiltImage } from './app-images';
import type { ContainerReport } from './container-checks';
import { failures, resultsTable } from './results-table';

const build: BuiltImage = {
  app: 'gateway',
  image: 'localhost/cqrs-template/gateway:check',
  ok: true,
  buildSeconds: 90,
  appBytes: 42_800_000,
  totalBytes: 329_100_000,
};
const run: ContainerReport = {
  name: 'c',
  readySeconds: 1.2,
  healthcheck: true,
  uid: 1000,
  stopSeconds: 0.4,
  exitCode: 0,
  errors: [],
};

describe('failures', () => {
  it('passes an image that meets every check', () => {
    expect(failures({ build, run })).toEqual([]);
  });

  it('names each failed check', () => {
    // given an image that is too big, runs as root and had to be killed
    const big = { ...build, appBytes: 61_000_000 };
    const bad = { ...run, uid: 0, exitCode: 137, stopSeconds: 10.2, healthcheck: false };
    // then every failure is spelled out
    expect(failures({ build: big, run: bad })).toEqual([
      'app layers 61 MB > 60 MB',
      'HEALTHCHECK failed',
      'runs as uid 0',
      'exit code 137 after SIGTERM',
      'stop took 10.2 s',
    ]);
  });

  it('fails an image that was built but never ran, and one that did not build', () => {
    expect(failures({ build })).toEqual(['not run']);
    expect(failures({ build: { ...build, ok: false, error: 'podman build exited 1' } })).toEqual([
      'podman build exited 1',
    ]);
  });
});

describe('resultsTable', () => {
  it('prints one row per image with its figures and verdict', () => {
    const table = resultsTable([{ build, run }]);
    expect(table.split('\n')[1]).toMatch(
      /^gateway\s+90\.0\s+42\.8\s+329\.1\s+1\.2\s+ok\s+1000\s+0\.4\s+0\s+ok$/,
    );
  });
});
