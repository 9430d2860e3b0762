import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU accounting from /proc (Linux), for benchmarks that report where the CPU went rather than
 * only how fast the load ran: on a shared two-core machine the two differ.
 */

let clockTicks: number | undefined;
/** Kernel clock ticks per second (asked once, when first needed: importing costs nothing). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The command name and CPU ms (user, system and both) from a /proc/<pid>/stat line. */
function parseStat(stat: string): {
  comm: string;
  cpuMs: number;
  userMs: number;
  systemMs: number;
} {
  // After the command name (in parentheses, may hold spaces): utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userMs = (Number(fields[11]) * 1000) / ticksPerSecond();
  const systemMs = (Number(fields[12]) * 1000) / ticksPerSecond();
  return {
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    cpuMs: userMs + systemMs,
    userMs,
    systemMs,
  };
}

/** Read and write system calls a process has made so far (/proc/<pid>/io, all its threads). */
function ioCalls(pid: string): number {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
    return field('syscr') + field('syscw');
  } catch {
    return 0; // another user's process without the right to read it
  }
}

/** Which part of the system a process is, from its command line. */
function groupOf(pid: string, comm: string): string {
  if (comm === 'postgres') return 'postgres';
  if (comm === 'java') return 'kafka';
  // Node names its main thread: `node` up to 22, `MainThread` in 24, `node-MainThread` in 26.
  if (comm !== 'node' && !comm.endsWith('MainThread'))
    return comm.startsWith('ksoftirqd') || comm.startsWith('kworker') ? 'kernel' : 'other';
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const app = /apps\/([a-z-]+)\/dist\/main\.js/.exec(cmdline)?.[1];
    if (app) return app;
    // The benchmark's own process drives the load; any other Node process (an editor's
    // language server, another test run) is a neighbour and is reported as such.
    return Number(pid) === process.pid ? 'load generator' : 'other node';
  } catch {
    return 'other';
  }
}

/** What one group of processes has used so far. */
export interface GroupUsage {
  userMs: number;
  systemMs: number;
  /** read and write system calls (sockets, pipes, files): the traffic between the parts. */
  ioCalls: number;
}

/**
 * User and system CPU time and I/O system calls used so far by every live process, summed by
 * group (the app's name for `apps/<name>/dist/main.js`, postgres, kafka, load generator, kernel,
 * other). Processes that exited in between are not counted. Empty without /proc.
 */
export function usageByGroup(): Map<string, GroupUsage> {
  const groups = new Map<string, GroupUsage>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return groups;
  }
  for (const pid of pids) {
    try {
      const { comm, userMs, systemMs } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      const group = groupOf(pid, comm);
      const usage = groups.get(group) ?? { userMs: 0, systemMs: 0, ioCalls: 0 };
      usage.userMs += userMs;
      usage.systemMs += systemMs;
      usage.ioCalls += ioCalls(pid);
      groups.set(group, usage);
    } catch {
      // the process exited while we looked
    }
  }
  return groups;
}

/** CPU time (user + system, ms) used so far by every live process, summed by group. */
export function cpuByGroup(): Map<string, number> {
  return new Map([...usageByGroup()].map(([group, u]) => [group, u.userMs + u.systemMs]));
}

/** What each group used between two `usageByGroup()` snapshots, per unit of work done. */
export function usagePerUnit(
  before: Map<string, GroupUsage>,
  after: Map<string, GroupUsage>,
  units: number,
): Map<string, GroupUsage> {
  const per = new Map<string, GroupUsage>();
  for (const [group, end] of after) {
    const start = before.get(group) ?? { userMs: 0, systemMs: 0, ioCalls: 0 };
    const userMs = (end.userMs - start.userMs) / units;
    const systemMs = (end.systemMs - start.systemMs) / units;
    if (units > 0 && userMs + systemMs > 0) {
      per.set(group, { userMs, systemMs, ioCalls: (end.ioCalls - start.ioCalls) / units });
    }
  }
  return per;
}

/** Groups that are not part of the system under test: shown, but left out of the total. */
const NEIGHBOURS = new Set(['other', 'other node']);

/** Whether a group is a neighbour (not part of the system under test). */
export function isNeighbour(group: string): boolean {
  return NEIGHBOURS.has(group);
}

/** Markdown rows: CPU ms per unit (user, system, system share) and I/O calls per unit, by group. */
export function usageRows(per: Map<string, GroupUsage>, unit: string): string[] {
  const ms = (n: number): string => n.toFixed(3);
  const cpu = (u: GroupUsage): number => u.userMs + u.systemMs;
  const rows = [...per].sort((a, b) => cpu(b[1]) - cpu(a[1]));
  const own = rows.filter(([group]) => !NEIGHBOURS.has(group));
  const total = own.reduce(
    (t, [, u]) => ({
      userMs: t.userMs + u.userMs,
      systemMs: t.systemMs + u.systemMs,
      ioCalls: t.ioCalls + u.ioCalls,
    }),
    { userMs: 0, systemMs: 0, ioCalls: 0 },
  );
  const row = (name: string, u: GroupUsage): string =>
    `| ${name} | ${ms(cpu(u))} | ${ms(u.userMs)} | ${ms(u.systemMs)} | ${Math.round((u.systemMs / (cpu(u) || 1)) * 100)}% | ${u.ioCalls.toFixed(1)} |`;
  return [
    `| part | CPU ms per ${unit} | user | system | system share | read/write calls per ${unit} |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...own.map(([group, u]) => row(group, u)),
    row('all of the above', total),
    ...rows
      .filter(([group]) => NEIGHBOURS.has(group))
      .map(([group, u]) => row(`${group} (neighbours, not in the total)`, u)),
  ];
}

/** Busy and total jiffies of the whole machine so far (from /proc/stat); undefined without it. */
export function machineJiffies(): { busy: number; steal: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    const values = cpu.map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    // steal: time the hypervisor ran someone else while this machine wanted the CPU.
    return { busy: total - idle, steal: values[7] ?? 0, total };
  } catch {
    return undefined;
  }
}

/** CPU ms (user + system) one process has used so far; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuMs;
  } catch {
    return undefined;
  }
}

/** Resident memory of one process, now and at its peak (VmRSS, VmHWM), in MB; undefined once gone. */
export function processMemoryMb(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}
