import { dueChecks } from './compose-stack';

describe('dueChecks (the healthcheck timer podman lacks here)', () => {
  const intervals = new Map([
    ['kafka', 5_000],
    ['gateway', 10_000],
  ]);

  it('runs a check that has never run', () => {
    expect(dueChecks(1_000, intervals, new Map())).toEqual(['kafka', 'gateway']);
  });

  it("waits each container's own interval between runs", () => {
    const last = new Map([
      ['kafka', 0],
      ['gateway', 0],
    ]);
    expect(dueChecks(4_999, intervals, last)).toEqual([]);
    expect(dueChecks(5_000, intervals, last)).toEqual(['kafka']);
    expect(dueChecks(10_000, intervals, last)).toEqual(['kafka', 'gateway']);
  });
});
