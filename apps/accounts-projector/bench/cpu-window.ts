import { cpuByGroup } from '@cqrs/testing';

export interface CpuShare {
  group: string;
  ms: number;
  msPer1000Events: number;
}

/**
 * CPU used between `start` and the returned function's call, by process group, per 1,000
 * events. The projector runs inside this process, so "this process" is measured on its own
 * (process.cpuUsage) and taken out of the other node processes; Postgres and Kafka are shared
 * with whatever else runs on the machine, which the caller should keep in mind.
 */
export function startCpuWindow(): (events: number) => CpuShare[] {
  const groupsBefore = cpuByGroup();
  const selfBefore = process.cpuUsage();
  return (events) => {
    const self = process.cpuUsage(selfBefore);
    const selfMs = (self.user + self.system) / 1000;
    const groupsAfter = cpuByGroup();
    const shares = new Map<string, number>([['this process', selfMs]]);
    for (const [group, after] of groupsAfter) {
      const ms = after - (groupsBefore.get(group) ?? 0);
      // cpuByGroup counts this process among the node processes it cannot name.
      if (group === 'load generator') shares.set('other node processes', Math.max(0, ms - selfMs));
      else if (ms > 0) shares.set(group, ms);
    }
    return [...shares].map(([group, ms]) => ({
      group,
      ms: Math.round(ms),
      msPer1000Events: Math.round((ms * 10_000) / Math.max(events, 1)) / 10,
    }));
  };
}
