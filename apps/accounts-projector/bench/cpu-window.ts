import { isNeighbour, usageByGroup, usagePerUnit } from '@cqrs/testing';

export interface CpuShare {
  group: string;
  ms: number;
  msPer1000Events: number;
}

/**
 * CPU used between `start` and the returned function's call, by process group, per 1,000
 * events. The projector runs inside this benchmark's own process, which the accounting calls
 * the load generator: here it is "this process". Neighbours (other Node processes, anything
 * else on the machine) are listed too, so a disturbed run shows it.
 */
export function startCpuWindow(): (events: number) => CpuShare[] {
  const before = usageByGroup();
  return (events) => {
    const perEvent = usagePerUnit(before, usageByGroup(), Math.max(events, 1));
    return [...perEvent].map(([group, u]) => {
      const msPerEvent = u.userMs + u.systemMs;
      return {
        group:
          group === 'load generator'
            ? 'this process'
            : isNeighbour(group)
              ? `${group} (neighbours)`
              : group,
        ms: Math.round(msPerEvent * events),
        msPer1000Events: Math.round(msPerEvent * 10_000) / 10,
      };
    });
  };
}
